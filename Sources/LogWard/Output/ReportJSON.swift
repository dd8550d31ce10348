import Foundation
import LogWardAggregate

/// logward's JSON: pretty-printed, keys sorted (diffable between runs), slashes unescaped (paths read as paths).
public enum ReportJSON {
    public static func text<Value: Encodable>(_ value: Value) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self) + "\n"
    }
}
