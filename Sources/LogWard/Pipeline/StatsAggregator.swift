import Dispatch

/// Counts the parallel workers' batches in input order on its own thread: one collector sees every line, so
/// nothing is merged afterwards and no visitor is pseudonymized or held twice. At most a few batches wait
/// for it: the reader blocks rather than let memory grow.
final class StatsAggregator: @unchecked Sendable {
    static let batchesWaiting = 4
    /// Touched only on the aggregator's serial queue until `finish()`: no dynamic exclusivity check per line.
    @exclusivity(unchecked) private var collector: StatsCollector
    private let queue = DispatchQueue(label: "logward.stats")
    private let waiting = DispatchSemaphore(value: StatsAggregator.batchesWaiting)
    /// The first key error; after it nothing more is counted. Read after `finish()`.
    private(set) var failure: (any Error)?

    init(collector: StatsCollector) { self.collector = collector }

    /// Queues a batch; `bytes` are the batch's lines, which the batch's ranges point into.
    func add(_ batch: StatsBatch, bytes: [UInt8]) {
        waiting.wait()
        queue.async { [self] in
            defer { waiting.signal() }
            guard failure == nil else { return }
            bytes.withUnsafeBytes { all in
                batch.entries.withUnsafeBufferPointer { entries in
                    for index in entries.indices {
                        if entries[index].isReject {
                            collector.reject()
                            continue
                        }
                        do {
                            try collector.add(entries[index].fields, line: UnsafeRawBufferPointer(rebasing: all[entries[index].range]),
                                              policyIndex: entries[index].policyIndex, epoch: entries[index].epoch,
                                              site: batch.sites[entries[index].siteIndex])
                        } catch {
                            failure = error
                            return
                        }
                    }
                }
            }
        }
    }

    /// Waits for every queued batch and returns the collector.
    func finish() -> StatsCollector {
        queue.sync {}
        return collector
    }
}
