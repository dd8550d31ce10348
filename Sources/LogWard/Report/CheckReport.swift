import Foundation
import LogWardPipeline

/// The result of `logward check`: one `FileCheck` per input and their total, as text or JSON.
public struct CheckReport: Sendable {
    public var files: [FileCheck]

    public init(files: [FileCheck]) { self.files = files }

    public var total: FileCheck {
        var total = FileCheck(path: "total")
        for file in files { total.merge(file) }
        return total
    }

    public var unreadableFiles: [FileCheck] { files.filter { $0.error != nil } }

    // MARK: Text

    public var text: String {
        var out = ""
        for file in files { out += Self.describe(file) }
        if files.count > 1 { out += Self.describe(total) }
        return out
    }

    private static func describe(_ check: FileCheck) -> String {
        var out = "\(check.path)\n"
        out += "  lines      \(check.lines)\n"
        out += "  parsed     \(check.parsed)\n"
        out += "  rejected   \(check.rejected)\n"
        for entry in check.rejections.sorted {
            let lines = entry.firstLines.isEmpty ? "" : " (first lines: \(entry.firstLines.map(String.init).joined(separator: ", ")))"
            out += "    \(entry.reason.rawValue): \(entry.count)\(lines): \(entry.reason.explanation)\n"
        }
        if let mismatch = check.mismatch {
            out += "    line \(mismatch.line): \(mismatch.reason.rawValue) at field \(mismatch.field), byte \(mismatch.byte)"
            out += mismatch.presets.isEmpty ? "\n" : "; the \(Self.names(mismatch.presets)) format reads this line whole (--format \(mismatch.presets[0]))\n"
        }
        if check.trailingLines > 0 {
            out += "  trailing data \(check.trailingLines) parsed line(s) have fields after the format's last one"
            if !check.firstTrailingLines.isEmpty {
                out += " (first lines: \(check.firstTrailingLines.map(String.init).joined(separator: ", ")))"
            }
            out += ": the format may be shorter than the log, and those fields are lost"
            out += check.trailingPresets.isEmpty ? "\n" : "; the \(Self.names(check.trailingPresets)) format reads them whole (--format \(check.trailingPresets[0]))\n"
        }
        if check.malformedRequests > 0 {
            out += "  malformed requests (parsed, request field not METHOD TARGET PROTOCOL) \(check.malformedRequests)\n"
        }
        if let first = check.firstTime, let last = check.lastTime {
            out += "  time range \(Timestamp.iso8601UTC(first)) .. \(Timestamp.iso8601UTC(last))\n"
        }
        if !check.sites.isEmpty {
            let sites = check.sites.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
            out += "  sites      " + sites.map { "\($0.key) (\($0.value))" }.joined(separator: ", ") + "\n"
        }
        if let error = check.error {
            out += "  error      \(error)\n"
        }
        return out
    }

    private static func names(_ presets: [String]) -> String {
        presets.count == 1 ? presets[0] : presets.dropLast().joined(separator: ", ") + " or " + presets.last!
    }

    // MARK: JSON

    struct FileJSON: Codable {
        var path: String
        var lines: Int
        var parsed: Int
        var rejected: Int
        var rejections: [RejectionTally.Entry]
        var malformedRequests: Int
        var firstTime: String?
        var lastTime: String?
        var sites: [String: Int]
        var inputBytes: Int64
        var decodedBytes: Int64
        var error: String?
        var trailingLines: Int
        var firstTrailingLines: [Int]
        var trailingPresets: [String]
        var mismatch: FormatDiagnosis.Mismatch?

        init(_ check: FileCheck) {
            path = check.path
            lines = check.lines
            parsed = check.parsed
            rejected = check.rejected
            rejections = check.rejections.sorted
            malformedRequests = check.malformedRequests
            firstTime = check.firstTime.map(Timestamp.iso8601UTC)
            lastTime = check.lastTime.map(Timestamp.iso8601UTC)
            sites = check.sites
            inputBytes = check.inputBytes
            decodedBytes = check.decodedBytes
            error = check.error?.description
            trailingLines = check.trailingLines
            firstTrailingLines = check.firstTrailingLines
            trailingPresets = check.trailingPresets
            mismatch = check.mismatch
        }
    }

    struct ReportJSON: Codable {
        var files: [FileJSON]
        var total: FileJSON
    }

    public func json() throws -> String {
        try LogWardOutput.ReportJSON.text(ReportJSON(files: files.map(FileJSON.init), total: FileJSON(total)))
    }
}
