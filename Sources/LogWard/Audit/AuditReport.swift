import Foundation
import LogWardJob

/// What `logward audit` found: per file, the policy versions of its lines, its age and the identifiers it
/// still holds (kinds, counts, line numbers: never the values); and every violation of a policy's promise.
public struct AuditReport: Sendable, Codable {
    public struct FileAudit: Sendable, Codable {
        public enum Role: String, Sendable, Codable {
            /// `archive/raw/...`: identifiers allowed within the raw window.
            case raw
            /// `archive/anon/...`: no identifier may remain.
            case anonymized
            /// A log outside an archive: raw until its raw window ends.
            case log
        }

        public var path: String
        public var role: Role
        public var inLedger: Bool?
        public var sha256: String?
        public var lines = 0
        public var parsed = 0
        public var rejected = 0
        public var firstLine: String?
        public var newestLine: String?
        public var policies: [String: Int] = [:]
        public var findings = FindingTally()
        public var error: String?
        // Kept for --fix; not part of the report.
        var firstEpoch: Int64?
        var newestEpoch: Int64?
        var format = ""
        var site: String?

        enum CodingKeys: String, CodingKey {
            case path, role, inLedger = "in_ledger", sha256, lines, parsed, rejected, firstLine = "first_line"
            case newestLine = "newest_line", policies, findings, error
        }
    }

    public struct Violation: Sendable, Codable, Equatable {
        public enum Kind: String, Sendable, Codable {
            case rawPastWindow = "raw-past-window"
            case identifiersInAnonymized = "identifiers-in-anonymized"
            case pastWindow = "past-window"
            case keyPastWindow = "key-past-window"
            case unknownToLedger = "unknown-to-ledger"
            case unreadable
            case symlink
            /// An archived file whose bytes no longer have the SHA-256 the ledger recorded.
            case tampered
            /// A SQLite database whose text holds address- or e-mail-shaped values.
            case identifiersInDatabase = "identifiers-in-database"
        }

        public var kind: Kind
        public var file: String
        /// The first line concerned, when there is one.
        public var line: Int?
        public var policies: [String]
        public var message: String
    }

    public var paths: [String]
    public var asOf: String
    public var files: [FileAudit] = []
    public var keysChecked = 0
    public var violations: [Violation] = []
    /// `--fix`: the steps planned (with --dry-run) or carried out.
    public var fixes: [RetentionAction]?
    public var fixFailures: [String]?
    /// `--fix`: what an audit right after the fix still finds.
    public var violationsAfterFix: [Violation]?

    enum CodingKeys: String, CodingKey {
        case paths, asOf = "as_of", files, keysChecked = "keys_checked", violations, fixes, fixFailures = "fix_failures", violationsAfterFix = "violations_after_fix"
    }

    public var isClean: Bool { violations.isEmpty }

    public var text: String {
        var out = "logward audit as of \(asOf): \(files.count) file(s), \(files.reduce(0) { $0 + $1.lines }) lines, "
            + "\(keysChecked) key(s) checked: "
            + (violations.isEmpty ? "no violations\n" : "\(violations.count) violation(s)\n")
        for file in files {
            let policies = file.policies.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
            out += "  \(file.path) [\(file.role.rawValue)]: \(file.lines) lines"
            if let newest = file.newestLine { out += ", newest \(newest.prefix(10))" }
            if !policies.isEmpty { out += ", \(policies)" }
            out += "\n"
            if !file.findings.isEmpty { out += "    identifiers: \(file.findings.summary)\n" }
        }
        for violation in violations {
            out += "VIOLATION \(violation.kind.rawValue): \(violation.file)"
            if let line = violation.line { out += ":\(line)" }
            out += ": \(violation.message)\n"
        }
        if let fixes {
            out += fixes.isEmpty ? "fix: nothing to do\n" : "fix: \(fixes.count) step(s)\n" + fixes.map { "  " + $0.line + "\n" }.joined()
        }
        for failure in fixFailures ?? [] { out += "fix failed: \(failure)\n" }
        if let after = violationsAfterFix {
            out += "after the fix: " + (after.isEmpty ? "no violations\n" : "\(after.count) violation(s) left\n")
            for violation in after { out += "  still: \(violation.kind.rawValue) \(violation.file): \(violation.message)\n" }
        }
        return out
    }

    public func json() throws -> String {
        try ReportJSON.text(self)
    }
}
