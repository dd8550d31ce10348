import LogWardOutput
import Foundation

/// Runs the one pass over a list of inputs: anonymized output, statistics, or both, with one report.
public struct PassRunner {
    public var scan: ScanOptions
    public var choice: PolicyChoice
    public var pool: PseudonymizerPool
    public var onReject: RejectHandling = .drop
    public var statsSinks: StatsSinks?
    public var timeZone: StatsTimeZone = .utc
    /// Count again content that is already in the statistics database (replacing its rows).
    public var replaceStats = false
    /// Workers that parse, rewrite and count batches of lines in parallel (output and statistics identical to
    /// one). 1 processes each batch on the reading thread.
    public var workers = 1
    /// A file whose rejected share of lines is over this stores no statistics (so a wrong format never marks
    /// its content as counted).
    public var maximumRejectRate: Double = 1
    /// Store the (one) input's statistics under this SHA-256 rather than its own: the recount of an archived
    /// raw copy after an erasure stands for the input it was copied from.
    public var statsContentID: String?
    /// Told the compressed bytes read of the file being read, as it goes (a progress line on a terminal).
    public var progress: ((_ path: String, _ bytesRead: Int64) -> Void)?
    /// Bytes of whole lines per parallel batch; nil: the pass's default (`PassEngineDefaults.batchBytes(...)`).
    var batchBytes: Int?

    public init(scan: ScanOptions, choice: PolicyChoice, pool: PseudonymizerPool) {
        self.scan = scan
        self.choice = choice
        self.pool = pool
    }

    public struct Result: Sendable {
        public var files: [PassFileReport]
        /// Per input, whether its statistics were stored or were already there (nil: none kept).
        public var stats: [StatsStore.Outcome?]
        public var keysUsed: [String]
        /// Per input, the SHA-256 of its bytes ("" unless inputs were identified).
        public var digests: [String] = []
        /// External site-days the exports left out whole (fewer than k distinct visitors).
        public var withheldSiteDays = 0

        public var inputError: InputError? { files.compactMap(\.error).first }
    }

    /// Reads every file once. `output` receives the anonymized lines (the caller commits or discards it).
    /// A file whose input is damaged contributes no statistics; a write or key error stops the run.
    public func run(files: [String], output: LogOutput?) throws -> Result {
        let opened = try statsSinks.map { try $0.openStore() }
        var scan = self.scan
        scan.identifyInputs = scan.identifyInputs || opened != nil
        defer { if let temporary = opened?.temporary { try? FileManager.default.removeItem(atPath: temporary) } }
        // A run leaves no database it created and stored nothing in: all inputs missing or damaged, a full disk.
        var stored = false
        defer { if !stored { opened?.store.removeIfCreatedHere() } }
        return try run(files: files, output: output, opened: opened, scan: scan, stored: &stored)
    }

    private func run(files: [String], output: LogOutput?, opened: (store: StatsStore, temporary: String?)?,
                     scan: ScanOptions, stored: inout Bool) throws -> Result {
        var reports: [PassFileReport] = []
        var statsOutcomes: [StatsStore.Outcome?] = []
        var keysUsed = Set<String>()
        var digests: [String] = []
        for path in files {
            // What a file before this one staged and did not store is not this file's.
            try opened?.store.discardStaged()
            let pass = PolicyPass(path: path, scan: scan, choice: choice, pool: pool, output: output,
                                  statsTimeZone: opened == nil ? nil : timeZone, statsSpill: opened?.store, onReject: onReject,
                                  workers: workers,
                                  batchBytes: batchBytes ?? PassEngineDefaults.batchBytes(writesLines: output != nil,
                                                                                         countsStatistics: opened != nil),
                                  progress: progress.map { report in { report(path, $0) } })
            let (report, outcome, used, days) = try pass.run()
            reports.append(report)
            digests.append(outcome.sha256)
            keysUsed.formUnion(used)
            statsOutcomes.append(try store(report, outcome, days: days, in: opened?.store))
            stored = stored || statsOutcomes.last == .stored
        }
        var withheld = 0
        if let opened, let sinks = statsSinks {
            var rejected = RejectionTally()
            for report in reports { rejected.merge(report.rejections) }
            let now = Int64(Date().timeIntervalSince1970)
            let run = RunSummary(finishedEpoch: now, success: reports.allSatisfy { $0.error == nil } && !statsOutcomes.contains(.overRejectRate),
                                 lines: reports.reduce(0) { $0 + $1.lines }, rejected: rejected)
            withheld = try sinks.export(from: opened.store, run: run, today: Timestamp.day(now + timeZone.offset(at: now)))
        }
        return Result(files: reports, stats: statsOutcomes, keysUsed: pool.keysUsed.union(keysUsed).sorted(), digests: digests,
                      withheldSiteDays: withheld)
    }

    /// Stores one file's statistics: none from a file that could not be read to its end, none from one whose
    /// rejected share is over `maximumRejectRate`.
    private func store(_ report: PassFileReport, _ outcome: ScanOutcome, days: @autoclosure () -> [DayStats],
                       in store: StatsStore?) throws -> StatsStore.Outcome? {
        guard let store, outcome.error == nil else { return nil }
        if report.lines > 0, Double(report.rejected) / Double(report.lines) > maximumRejectRate { return .overRejectRate }
        let identity = StatsStore.FileIdentity(scope: choice.scope, path: report.path, size: outcome.inputBytes, sha256: statsContentID ?? outcome.sha256)
        return try store.store(identity, lines: report.lines, parsed: report.written, rejected: report.rejected,
                               days: days(), replace: replaceStats)
    }
}
