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

    public init(scan: ScanOptions, choice: PolicyChoice, pool: PseudonymizerPool) {
        self.scan = scan
        self.choice = choice
        self.pool = pool
    }

    public struct Result: Sendable {
        public var files: [AnonymizeFileReport]
        /// Per input, whether its statistics were stored or were already there (nil: none kept).
        public var stats: [StatsStore.Outcome?]
        public var keysUsed: [String]

        public var inputError: InputError? { files.compactMap(\.error).first }
    }

    /// Reads every file once. `output` receives the anonymized lines (the caller commits or discards it).
    /// A file whose input is damaged contributes no statistics; a write or key error stops the run.
    public func run(files: [String], output: LogOutput?) throws -> Result {
        var reports: [AnonymizeFileReport] = []
        var statsOutcomes: [StatsStore.Outcome?] = []
        let opened = try statsSinks.map { try $0.openStore() }
        defer { if let temporary = opened?.temporary { try? FileManager.default.removeItem(atPath: temporary) } }
        for path in files {
            let collector = opened.map { _ in StatsCollector(policies: choice.set.policies, pool: pool, timeZone: timeZone) }
            var handler = PassHandler(path: path, format: scan.format, choice: choice, pool: pool, output: output,
                                      stats: collector, onReject: onReject)
            let outcome = LogScanner.scan(path: path, options: scan, handler: &handler)
            if let failure = handler.failure { throw failure }
            let report = handler.finished(with: outcome)
            reports.append(report)
            if let store = opened?.store, outcome.error == nil {
                let identity = StatsStore.FileIdentity(path: path, size: outcome.inputBytes, sha256: outcome.sha256)
                statsOutcomes.append(try store.store(identity, lines: report.lines, parsed: report.written,
                                                     rejected: report.rejected, days: handler.statsDays(), replace: replaceStats))
            } else {
                statsOutcomes.append(nil)
            }
        }
        if let opened, let sinks = statsSinks { try sinks.export(from: opened.store) }
        return Result(files: reports, stats: statsOutcomes, keysUsed: pool.keysUsed.sorted())
    }
}
