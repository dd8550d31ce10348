import Foundation
import LogWardOutput

/// The report of a pass (`logward anonymize`, `logward stats`): per input, lines in, written, scrubbed, rejected by
/// reason, fields changed per class, and which policy versions governed the lines. Never a value from the input.
public struct PassReport: Sendable {
    public var files: [PassFileReport]
    public var policyIDs: [String]
    public var output: String
    public var keysUsed: [String]
    /// Per file, what happened to its statistics (nil when none were kept).
    public var stats: [StatsStore.Outcome?]

    public init(files: [PassFileReport], policyIDs: [String], output: String, keysUsed: [String],
                stats: [StatsStore.Outcome?] = []) {
        self.files = files
        self.policyIDs = policyIDs
        self.output = output
        self.keysUsed = keysUsed
        self.stats = stats
    }

    public var totalLines: Int { files.reduce(0) { $0 + $1.lines } }
    public var totalRejected: Int { files.reduce(0) { $0 + $1.rejected } }

    public var text: String {
        var out = ""
        for (index, file) in files.enumerated() {
            out += "\(file.path): \(file.lines) lines, \(file.written) written, \(file.rejected) rejected"
            if file.scrubbed > 0 { out += " (\(file.scrubbed) written scrubbed)" }
            out += "\n"
            for entry in file.rejections.sorted {
                out += "  rejected \(entry.reason.rawValue): \(entry.count) (first lines: \(entry.firstLines.map(String.init).joined(separator: ", ")))\n"
            }
            if let mismatch = file.mismatch {
                out += "    line \(mismatch.line): \(mismatch.reason.rawValue) at field \(mismatch.field), byte \(mismatch.byte)"
                out += mismatch.presets.isEmpty ? "\n" : "; --format \(mismatch.presets[0]) reads this line whole\n"
            }
            let changed = FieldClass.allCases.filter { file.fieldsChanged[$0] > 0 }
            if !changed.isEmpty {
                out += "  fields changed: " + changed.map { "\($0.rawValue) \(file.fieldsChanged[$0])" }.joined(separator: ", ") + "\n"
            }
            let used = file.linesByPolicy.enumerated().filter { $0.element > 0 }
            if !used.isEmpty {
                out += "  policies: " + used.map { "\(policyIDs[$0.offset]) \($0.element)" }.joined(separator: ", ") + "\n"
            }
            if file.unknownSiteLines > 0 {
                let sites = file.unknownSites.sorted { ($0.value, $1.key) > ($1.value, $0.key) }
                    .map { "\($0.key) \($0.value)" }.joined(separator: ", ")
                out += "  lines of sites no rules file names (the strict default policy governed them): \(file.unknownSiteLines): \(sites)\n"
                out += "    add a rules file whose sites: list names them, or give --site HOST (or --policy ID) for a log of one site\n"
            }
            if let error = file.error { out += "  error: \(error)\n" }
            switch index < stats.count ? stats[index] : nil {
            case .stored?: out += "  statistics: stored\n"
            case .alreadyStored?: out += "  statistics: this content was already counted; nothing added (--replace counts it again)\n"
            case .overRejectRate?: out += "  statistics: not stored: too many lines rejected (check the format); the file is counted when read again\n"
            case nil: break
            }
        }
        return out
    }

    struct FileJSON: Codable {
        var path: String
        var lines: Int
        var written: Int
        var scrubbed: Int
        var rejected: Int
        var rejections: [RejectionTally.Entry]
        var fieldsChanged: [String: Int]
        var policies: [String: Int]
        var unknownSiteLines: Int
        var unknownSites: [String: Int]
        var mismatch: FormatDiagnosis.Mismatch?
        var error: String?
    }

    struct ReportJSON: Codable {
        var output: String
        var files: [FileJSON]
        var keysUsed: [String]
    }

    public func json() throws -> String {
        let report = ReportJSON(output: output, files: files.map { file in
            FileJSON(path: file.path, lines: file.lines, written: file.written, scrubbed: file.scrubbed, rejected: file.rejected,
                     rejections: file.rejections.sorted, fieldsChanged: file.fieldsChanged.asDictionary,
                     policies: Dictionary(uniqueKeysWithValues: file.linesByPolicy.enumerated().filter { $0.element > 0 }
                        .map { (policyIDs[$0.offset], $0.element) }),
                     unknownSiteLines: file.unknownSiteLines, unknownSites: file.unknownSites, mismatch: file.mismatch,
                     error: file.error?.description)
        }, keysUsed: keysUsed)
        return try LogWardOutput.ReportJSON.text(report)
    }
}
