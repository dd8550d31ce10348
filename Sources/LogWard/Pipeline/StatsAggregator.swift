import LogWardOutput

/// Counts the workers' batches in input order: one collector sees every line, so nothing is merged afterwards and
/// no visitor is pseudonymized or held twice. With parallel workers it counts on its own thread, and at most a few
/// batches wait for it (the reader blocks rather than let memory grow); with one worker (`inline`) it counts each
/// batch on the caller's thread.
final class StatsAggregator: @unchecked Sendable {
    static let batchesWaiting = 4
    static let lookahead = 8
    /// Touched only on the aggregator's backlog thread until `finish()`: no dynamic exclusivity check per line.
    @exclusivity(unchecked) private var collector: StatsCollector
    private let backlog = SerialBacklog(label: "logward.stats", limit: StatsAggregator.batchesWaiting)
    /// The first key error; after it nothing more is counted. Read after `finish()`.
    private(set) var failure: (any Error)?

    private let inline: Bool

    init(collector: StatsCollector, inline: Bool = false) {
        self.collector = collector
        self.inline = inline
    }

    /// Queues a batch (counts it, when inline); `bytes` are the batch's lines, which the batch's ranges point into:
    /// borrowed ones only inline, where they are counted before this returns.
    func add(_ batch: StatsBatch, bytes: BatchBytes) {
        if inline {
            bytes.withUnsafeBytes { count(batch, bytes: $0) }
            return
        }
        guard case .owned(let owned) = bytes else { preconditionFailure("a batch's bytes borrowed for another thread") }
        backlog.submit { [self] in owned.withUnsafeBytes { count(batch, bytes: $0) } }
    }

    private func count(_ batch: StatsBatch, bytes all: UnsafeRawBufferPointer) {
        guard failure == nil else { return }
        let lines = Span<UInt8>(_unsafeBytes: all)
        batch.entries.withUnsafeBufferPointer { entries in
            // Each line's cache keys are worked out `lookahead` lines before it is counted, so the slots they
            // name are on their way from memory while the lines in between are counted.
            var ahead = [StatsCollector.LineKeys?](repeating: nil, count: Self.lookahead)
            func prepare(_ index: Int) {
                // The line itself was last touched by a worker, on another core: its bytes are requested
                // another `lookahead` lines earlier than its keys are worked out.
                Prefetch.element(index + 2 * Self.lookahead, of: entries)
                if index + Self.lookahead < entries.count {
                    let range = entries[index + Self.lookahead].range
                    Prefetch.bytes(all.baseAddress! + range.lowerBound, count: range.count)
                }
                guard index < entries.count, !entries[index].isReject else { return }
                let entry = entries[index]
                ahead[index % Self.lookahead] = collector.keys(entry.fields, line: lines.extracting(entry.range),
                                                               policyIndex: entry.policyIndex, epoch: entry.epoch)
            }
            for index in 0..<min(Self.lookahead, entries.count) { prepare(index) }
            for index in entries.indices {
                let keys = ahead[index % Self.lookahead]
                prepare(index + Self.lookahead)
                // Halfway: the line's entry among the day's visitors is asked for.
                let halfway = index + Self.lookahead / 2
                if halfway < entries.count, let halfwayKeys = ahead[halfway % Self.lookahead], !entries[halfway].isReject {
                    collector.prepareVisitor(keys: halfwayKeys)
                }
                if entries[index].isReject {
                    collector.reject()
                    continue
                }
                do {
                    try collector.add(entries[index].fields, line: lines.extracting(entries[index].range),
                                      policyIndex: entries[index].policyIndex, epoch: entries[index].epoch,
                                      site: batch.sites[entries[index].siteIndex], keys: keys!)
                } catch {
                    failure = error
                    return
                }
            }
        }
    }

    /// Waits for every queued batch and returns the collector.
    func finish() -> StatsCollector {
        backlog.drain()
        return collector
    }
}
