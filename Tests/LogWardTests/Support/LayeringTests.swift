import Foundation
import Testing

/// The library's folders are its layers (ARCHITECTURE.md), and a folder uses only the layers below it: a type
/// declared in a higher layer named in a lower one's code fails here, naming both files. Until each layer is a
/// target of its own (when the compiler will refuse it), this reads the sources: declarations of types, and the
/// capitalized names the code (without comments and string literals) uses.
@Suite struct LayeringTests {
    /// Lowest first. Anonymize is below Aggregate: statistics normalize paths with the anonymizer's detectors and
    /// count visitors by its keyed pseudonyms. Retention is below Job and Audit, which both drive it.
    static let layers = ["Input", "Format", "Policy", "Anonymize", "Aggregate", "Output", "Pipeline", "Report", "Retention",
                         "Job", "Audit"]

    static let library = Fixtures.repositoryRoot.appendingPathComponent("Sources/LogWard")

    static func sources(_ folder: String) throws -> [(file: String, text: String)] {
        let directory = library.appendingPathComponent(folder)
        return try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".swift") }.sorted().map {
            ($0, try String(contentsOf: directory.appendingPathComponent($0), encoding: .utf8))
        }
    }

    /// The code without comments and string literals, whose words are not references.
    static func code(_ text: String) -> String {
        var result = text.replacingOccurrences(of: #"\"\"\"[\s\S]*?\"\"\""#, with: "\"\"", options: .regularExpression)
        result = result.replacingOccurrences(of: #"//[^\n]*"#, with: "", options: .regularExpression)
        return result.replacingOccurrences(of: #""(?:\\.|[^"\\\n])*""#, with: "\"\"", options: .regularExpression)
    }

    static func matches(_ pattern: String, in text: String) -> [String] {
        let expression = try! NSRegularExpression(pattern: pattern, options: [.anchorsMatchLines])
        return expression.matches(in: text, range: NSRange(text.startIndex..., in: text)).compactMap {
            Range($0.range(at: 1), in: text).map { String(text[$0]) }
        }
    }

    @Test func noLayerNamesATypeOfALayerAboveIt() throws {
        // Every folder of the library is a known layer.
        let folders = try FileManager.default.contentsOfDirectory(atPath: Self.library.path).filter { !$0.hasPrefix(".") }.sorted()
        #expect(folders == Self.layers.sorted())
        var declaredIn: [String: Int] = [:]
        let declaration = #"^(?:(?:public|package|final|private|fileprivate|internal|indirect|@\w+(?:\([^)]*\))?)\s+)*(?:struct|enum|class|protocol|typealias|actor)\s+([A-Z]\w*)"#
        for (level, folder) in Self.layers.enumerated() {
            for source in try Self.sources(folder) {
                for name in Self.matches(declaration, in: source.text) where declaredIn[name] == nil { declaredIn[name] = level }
            }
        }
        #expect(declaredIn["LineSplitter"] == 0 && declaredIn["PassEngine"] == Self.layers.firstIndex(of: "Pipeline"))
        var backwards: [String] = []
        for (level, folder) in Self.layers.enumerated() {
            for source in try Self.sources(folder) {
                for name in Set(Self.matches(#"\b([A-Z]\w*)\b"#, in: Self.code(source.text))) {
                    if let owner = declaredIn[name], owner > level {
                        backwards.append("\(folder)/\(source.file) names \(name) of \(Self.layers[owner])")
                    }
                }
            }
        }
        #expect(backwards.isEmpty, "\(backwards.sorted().joined(separator: "\n"))")
    }
}
