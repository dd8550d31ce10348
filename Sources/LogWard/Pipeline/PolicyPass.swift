import LogWardOutput
/// One input's pass of `anonymize`, `stats` or the nightly job: a `PolicyHandler` per worker on a `PassEngine`,
/// and the aggregator that counts their batches' statistics in input order (`StatsAggregator`, on its own thread
/// when there are workers), so one collector sees every line.
struct PolicyPass {
    var path: String
    var scan: ScanOptions
    var choice: PolicyChoice
    var pool: PseudonymizerPool
    /// nil writes nothing (`stats`).
    var output: LogOutput?
    /// Set: statistics are collected, days in this zone.
    var statsTimeZone: StatsTimeZone?
    var statsSpill: StatsStore?
    var onReject: RejectHandling = .drop
    var workers = 1
    var batchBytes = PassEngineDefaults.batchBytes
    var progress: ((Int64) -> Void)?

    /// Reads, anonymizes and writes the whole input; returns its report (lines from the splitter), its outcome,
    /// the keys its pseudonyms used and its statistics' days. With one worker, `pool` serves it and the statistics;
    /// with more, each worker has its own pool over `pool`'s key store (its own caches).
    func run() throws -> (PassFileReport, ScanOutcome, keysUsed: Set<String>, days: [DayStats]) {
        let workers = max(1, self.workers)
        let handlers = (0..<workers).map { _ in
            PolicyHandler(path: path, format: scan.format, choice: choice, pool: workers == 1 ? pool : PseudonymizerPool(keys: pool.keys),
                          onReject: onReject, writes: output != nil, recordsStats: statsTimeZone != nil)
        }
        let engine = PassEngine(path: path, scan: scan, output: output, handlers: handlers, batchBytes: batchBytes, progress: progress)
        let statsPool = workers == 1 ? pool : PseudonymizerPool(keys: pool.keys)
        let aggregator = statsTimeZone.map {
            StatsAggregator(collector: StatsCollector(compiled: choice.set.compiled, pool: statsPool, timeZone: $0, spill: statsSpill),
                            inline: workers == 1)
        }
        var rejections = RejectionTally()
        let outcome = try engine.run { batch, bytes in
            if let stats = batch.stats { aggregator?.add(stats, bytes: bytes) }
            rejections.append(batch.rejections)
        }
        let collector = aggregator?.finish()
        let finished = engine.handlers
        if let failure = finished.compactMap(\.failure).first ?? aggregator?.failure { throw failure }

        var report = PassFileReport(path: path, policyCount: choice.set.policies.count)
        for handler in finished {
            report.absorb(handler.finished(with: outcome))
        }
        report.rejections = rejections
        report.lines = outcome.lines
        report.error = outcome.error
        let days = collector?.finished(unattributedSite: choice.fallbackSite) ?? []
        return (report, outcome, finished.reduce(into: statsPool.keysUsed) { $0.formUnion($1.pool.keysUsed) }, days)
    }
}
