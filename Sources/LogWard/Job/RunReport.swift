import Foundation
import LogWardRetention

/// What `logward run` did: per input, lines in, written, rejected and where its outputs went; the retention
/// steps; and why the exit status is not 0. JSON for machines, a short text for the cron mail. Names files,
/// counts and line numbers only, never a value from the logs.
public struct RunReport: Sendable, Codable {
    public struct InputResult: Sendable, Codable {
        public enum Status: String, Sendable, Codable {
            case processed
            /// Its content (SHA-256) is in the ledger already: nothing done.
            case alreadyProcessed = "already-processed"
            case failed
            /// Read to its end but with too many lines rejected: nothing archived, counted or recorded; retried next run.
            case notRecorded = "not-recorded"
        }

        public var path: String
        public var status: Status
        public var sha256: String?
        public var lines = 0
        public var written = 0
        public var scrubbed = 0
        public var rejected = 0
        public var rejections: [RejectionTally.Entry] = []
        public var policies: [String: Int] = [:]
        public var anonymized: String?
        public var raw: String?
        public var statistics: String?
        public var error: String?
        /// Processed again on purpose (`--reprocess`) though the ledger had it.
        public var reprocessed = false

        public init(path: String, status: Status) {
            self.path = path
            self.status = status
        }
    }

    public var config: String
    public var archive: String
    public var started: String
    public var finished = ""
    /// The date retention judged by, when `--now` was given.
    public var asOf: String?
    /// Temporary files a killed run had left in the staging folder, removed at the start.
    public var stagingFilesRemoved = 0
    public var inputs: [InputResult] = []
    public var retention: [RetentionAction] = []
    public var retentionFailures: [String] = []
    /// Retention steps an interrupted run had begun, finished first (see `RetentionRunner.reconcile`).
    public var retentionFinished: [String] = []
    /// Settings of the config that have no effect (the run goes on).
    public var warnings: [String] = []
    /// External site-days the statistics exports left out whole: fewer than k distinct visitors.
    public var withheldSiteDays = 0
    /// Why the run does not exit 0.
    public var problems: [String] = []
    public var exitStatus: Int32 = 0

    public init(config: String, archive: String, started: String) {
        self.config = config
        self.archive = archive
        self.started = started
    }

    public var text: String {
        let processed = inputs.filter { $0.status == .processed }
        var out = "logward run: \(processed.count) file(s) processed, "
            + "\(inputs.filter { $0.status == .alreadyProcessed }.count) already done, "
            + "\(inputs.filter { $0.status == .failed }.count) failed, "
            + "\(inputs.filter { $0.status == .notRecorded }.count) not recorded (retried next run); "
            + "\(processed.reduce(0) { $0 + $1.lines }) lines in, \(processed.reduce(0) { $0 + $1.written }) written, "
            + "\(processed.reduce(0) { $0 + $1.rejected }) rejected\n"
        for input in inputs where input.status != .alreadyProcessed {
            out += "  \(input.path): \(input.status.rawValue)"
            if input.reprocessed { out += " again (--reprocess)" }
            if input.status == .processed {
                out += ", \(input.lines) lines, \(input.written) written, \(input.rejected) rejected -> \(input.anonymized ?? "-")"
                if let raw = input.raw { out += " (raw kept: \(raw))" }
            }
            if let error = input.error { out += ": \(error)" }
            out += "\n"
        }
        if stagingFilesRemoved > 0 { out += "  removed \(stagingFilesRemoved) temporary file(s) of an interrupted run\n" }
        for step in retentionFinished { out += "  finished a step an interrupted run began: \(step)\n" }
        let counts = Dictionary(grouping: retention, by: \.kind).map { "\($0.value.count) \($0.key.rawValue)" }.sorted()
        out += "retention: " + (counts.isEmpty ? "nothing to do" : counts.joined(separator: ", ")) + "\n"
        for action in retention { out += "  " + action.line + "\n" }
        for failure in retentionFailures { out += "  failed: \(failure)\n" }
        if withheldSiteDays > 0 {
            out += "statistics exports: \(withheldSiteDays) external site-day(s) withheld whole (fewer than k distinct visitors)\n"
        }
        for warning in warnings { out += "warning: \(warning)\n" }
        for problem in problems { out += "problem: \(problem)\n" }
        return out
    }

    public func json() throws -> String {
        try ReportJSON.text(self)
    }
}
