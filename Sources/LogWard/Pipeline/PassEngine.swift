import Dispatch
import Foundation

/// The pass of `anonymize`, `stats` and the nightly job over one input, always in batches: this thread cuts the
/// decoded stream into batches of whole lines (`PassReader`), a worker parses, resolves, rewrites and counts each
/// batch (`PassHandler`), and the batches are written in input order. With one worker the batch is processed
/// inline on the reading thread; with N, workers take batches in parallel and the output is byte for byte the
/// same. With statistics, the workers keep each line's parsed fields and the aggregator counts the batches in
/// input order (`StatsAggregator`, on its own thread when there are workers). A line-by-line pipe (`--line-buffered`)
/// gets each chunk's lines as soon as they are read.
final class PassEngine: @unchecked Sendable {
    static let defaultBatchBytes = 256 * 1024
    private let batchBytes: Int
    static let batchesInFlight = 4

    private typealias Entry = LineBatch.Entry
    private typealias Batch = LineBatch

    /// A batch's anonymized lines. Handed from the worker to the writer and back to the next worker without
    /// copying: the output is about as large as the input, and each batch was copied once more into an array.
    final class OutputBlock: @unchecked Sendable {
        /// Written by one thread at a time (a worker, then the writer): no dynamic exclusivity check per line.
        @exclusivity(unchecked) var buffer: LineBuffer

        init(capacity: Int) { buffer = LineBuffer(capacity: capacity) }
    }

    /// An output block's first size: a batch's bytes and a quarter more (a hashed field can be longer than the
    /// address it replaces; a block that needs more grows once and keeps its size). A pass that writes no lines
    /// (`stats`) has blocks of no size: each was a megabyte of a statistics run's memory.
    private let blockCapacity: Int

    private struct Result {
        var output: OutputBlock
        var rejections: RejectionTally
        var stats: StatsBatch?
        /// The batch's lines, which `stats` points into.
        var bytes: [UInt8]
    }

    /// A worker's own parser, record and handler (with its own pseudonym caches).
    private final class Worker {
        /// How many lines ahead a worker asks for the lines it will parse.
        static let lookahead = 4
        // A worker is taken by one thread at a time: no dynamic exclusivity checks on its per-line state.
        let parser: RecordParser
        @exclusivity(unchecked) var record: LogRecord
        /// The line parsed ahead of `record` (see `process`).
        @exclusivity(unchecked) var nextRecord: LogRecord
        @exclusivity(unchecked) var handler: PassHandler
        /// The batch's anonymized lines, written in place line by line, then swapped into the batch's output block
        /// (a line reaching its buffer through the block would retain and release the block).
        @exclusivity(unchecked) var output: LineBuffer
        let writes: Bool
        let pool: PseudonymizerPool

        let recordsStats: Bool

        init(path: String, scan: ScanOptions, choice: PolicyChoice, pool: PseudonymizerPool, onReject: RejectHandling,
             writes: Bool, recordsStats: Bool, outputCapacity: Int) {
            output = LineBuffer(capacity: outputCapacity)
            parser = RecordParser(format: scan.format)
            record = parser.makeRecord()
            nextRecord = parser.makeRecord()
            self.pool = pool
            self.recordsStats = recordsStats
            self.writes = writes
            handler = PassHandler(path: path, format: scan.format, choice: choice, pool: pool, onReject: onReject)
        }

        /// A rejected line; scrubbed into the batch only when the worker writes.
        private func reject(_ reason: RejectReason, line: UnsafeRawBufferPointer?, at position: LinePosition) {
            if writes {
                handler.reject(reason, line: line, at: position, appendingTo: &output)
            } else {
                handler.reject(reason, line: line, at: position)
            }
        }

        /// A parsed line waiting for its turn, and which of the two records holds it.
        private struct Pending {
            var line: UnsafeRawBufferPointer
            var position: LinePosition
            var inOdd: Bool
        }

        @inline(__always)
        private func handle(_ pending: Pending, even: borrowing LogRecord, odd: borrowing LogRecord) {
            if pending.inOdd {
                handle(odd, line: pending.line, at: pending.position)
            } else {
                handle(even, line: pending.line, at: pending.position)
            }
        }

        @inline(__always)
        private func handle(_ record: borrowing LogRecord, line: UnsafeRawBufferPointer, at position: LinePosition) {
            if writes {
                handler.handle(record, line: line, at: position, appendingTo: &output)
            } else {
                handler.handle(record, line: line, at: position)
            }
        }

        /// Each line is parsed one line before it is handled, into the record the line before does not use: its
        /// client's pseudonym cache slot is requested from memory while the line before it is rewritten (a client
        /// not seen lately is a miss to main memory, waited for in line otherwise). Lines are handled and rejected
        /// in input order.
        private func process(_ entries: UnsafeBufferPointer<Entry>, in all: UnsafeRawBufferPointer, even: inout LogRecord,
                             odd: inout LogRecord) {
            var pending: Pending?
            // Held here: reached through `self` on every line, it was retained and released on every line.
            let pool = self.pool
            for index in entries.indices {
                // The reader wrote the batch on another core: its entries and lines are asked for ahead.
                Prefetch.element(index + 2 * Self.lookahead, of: entries)
                if index + Self.lookahead < entries.count {
                    let ahead = entries[index + Self.lookahead].range
                    Prefetch.bytes(all.baseAddress! + ahead.lowerBound, count: ahead.count)
                }
                let entry = entries[index]
                switch entry.kind {
                case .line:
                    let line = UnsafeRawBufferPointer(rebasing: all[entry.range])
                    let intoOdd = !(pending?.inOdd ?? true)
                    let failure = intoOdd ? parser.parse(line, into: &odd) : parser.parse(line, into: &even)
                    if failure == nil, let address = intoOdd ? odd.clientIP : even.clientIP { pool.prefetch(address) }
                    if let last = pending { handle(last, even: even, odd: odd) }
                    if let failure {
                        pending = nil
                        reject(failure, line: line, at: entry.position)
                    } else {
                        pending = Pending(line: line, position: entry.position, inOdd: intoOdd)
                    }
                case .tooLong, .truncated:
                    if let last = pending { handle(last, even: even, odd: odd) }
                    pending = nil
                    reject(entry.kind == .tooLong ? .lineTooLong : .truncatedInput, line: nil, at: entry.position)
                }
            }
            if let last = pending { handle(last, even: even, odd: odd) }
        }

        func process(_ batch: Batch, into block: OutputBlock) -> Result {
            output.removeAll()
            // The records are moved out of the class for the batch: read through `self` they are copied (and their
            // field arrays retained) on every line.
            var even = self.record
            var odd = self.nextRecord
            batch.bytes.withUnsafeBytes { all in
                batch.entries.withUnsafeBufferPointer { entries in
                    handler.beginBatch(base: all.baseAddress, recordingStats: recordsStats, lines: entries.count)
                    process(entries, in: all, even: &even, odd: &odd)
                }
            }
            self.record = even
            self.nextRecord = odd
            let stats = handler.endBatch()
            // The block takes the lines; the worker keeps the block's old buffer for the next batch.
            swap(&output, &block.buffer)
            return Result(output: block, rejections: handler.takeRejections(), stats: stats,
                          bytes: stats == nil ? [] : batch.bytes)
        }
    }

    private let path: String
    private let scan: ScanOptions
    private let output: LogOutput?
    private let statsTimeZone: StatsTimeZone?
    private let statsSpill: StatsStore?
    private let progress: ((Int64) -> Void)?
    private let choice: PolicyChoice
    private let pool: PseudonymizerPool
    /// One worker: batches are processed on the reading thread, statistics counted there too.
    private let inline: Bool
    /// Lines are written as soon as each chunk is read (a pipe from the web server).
    private let flushEachChunk: Bool
    private var idleWorkers: [Worker]
    /// Output blocks the writer is done with, for the next batches (guarded by `lock`).
    private var spareBlocks: [OutputBlock] = []
    private let allWorkers: [Worker]
    private let lock = NSLock()
    private let resultReady = NSCondition()
    private var results: [Int: Result] = [:]
    private let workersFree: DispatchSemaphore
    private let queue = DispatchQueue(label: "logward.anonymize", attributes: .concurrent)

    /// `output` nil writes nothing; `statsTimeZone` set collects statistics. With one worker, `pool` serves it and
    /// the statistics; with more, each worker has its own pool over `pool`'s key store (its own caches).
    init(path: String, scan: ScanOptions, choice: PolicyChoice, pool: PseudonymizerPool, output: LogOutput?,
         statsTimeZone: StatsTimeZone? = nil, statsSpill: StatsStore? = nil, onReject: RejectHandling, workers: Int,
         batchBytes: Int = PassEngine.defaultBatchBytes, progress: ((Int64) -> Void)? = nil) {
        self.progress = progress
        self.path = path
        self.batchBytes = batchBytes
        let blockCapacity = output == nil ? 0 : batchBytes + batchBytes / 4
        self.blockCapacity = blockCapacity
        self.scan = scan
        self.output = output
        self.statsTimeZone = statsTimeZone
        self.statsSpill = statsSpill
        self.choice = choice
        let workers = max(1, workers)
        inline = workers == 1
        flushEachChunk = output?.isLineBuffered ?? false
        workersFree = DispatchSemaphore.permits(workers)
        allWorkers = (0..<workers).map { _ in
            Worker(path: path, scan: scan, choice: choice, pool: workers == 1 ? pool : PseudonymizerPool(keys: pool.keys),
                   onReject: onReject, writes: output != nil, recordsStats: statsTimeZone != nil,
                   outputCapacity: blockCapacity)
        }
        idleWorkers = allWorkers
        self.pool = pool
    }

    /// Reads, anonymizes and writes the whole input; returns its report (lines from the splitter) and outcome.
    func run() throws -> (PassFileReport, ScanOutcome, keysUsed: Set<String>, days: [DayStats]) {
        var rejections = RejectionTally()
        let statsPool = inline ? pool : PseudonymizerPool(keys: pool.keys)
        let aggregator = statsTimeZone.map {
            StatsAggregator(collector: StatsCollector(compiled: choice.set.compiled, pool: statsPool, timeZone: $0, spill: statsSpill),
                            inline: inline)
        }
        var submitted = 0
        var written = 0
        var writeError: (any Error)?

        /// Writes a finished batch and counts it.
        func finish(_ result: Result) {
            if writeError == nil, let output {
                do {
                    try result.output.buffer.withUnsafeBytes { bytes in
                        if !bytes.isEmpty { try output.writeRaw(bytes) }
                    }
                } catch {
                    writeError = error
                }
            }
            if let stats = result.stats { aggregator?.add(stats, bytes: result.bytes) }
            rejections.append(result.rejections)
            putBlock(result.output)
            written += 1
        }

        /// Writes every finished batch that is next in order.
        func drain(waitingFor target: Int) {
            while written < target {
                resultReady.lock()
                while results[written] == nil { resultReady.wait() }
                let result = results.removeValue(forKey: written)!
                resultReady.unlock()
                finish(result)
            }
        }

        func submit(_ batch: Batch) {
            guard !batch.entries.isEmpty else { return }
            if inline {
                submitted += 1
                finish(allWorkers[0].process(batch, into: takeBlock()))
                return
            }
            // Bounded memory: with too many batches out, write the oldest (waiting for it) before handing out more.
            if submitted - written >= Self.batchesInFlight { drain(waitingFor: written + 1) }
            let index = submitted
            submitted += 1
            queue.async { [self] in
                let worker = takeWorker()
                let result = worker.process(batch, into: takeBlock())
                putWorker(worker)
                resultReady.lock()
                results[index] = result
                resultReady.signal()
                resultReady.unlock()
            }
            // Write what is ready without waiting, so memory stays bounded by the batches in flight.
            resultReady.lock()
            let ready = results[written] != nil
            resultReady.unlock()
            if ready { drain(waitingFor: written + 1) }
        }

        var builder = LineBatchBuilder(batchBytes: batchBytes)
        let outcome = PassReader.read(path: path, options: scan, progress: progress, startChunk: { builder.startChunk($0) }, deliver: { event in
            if let full = builder.collect(event) { submit(full) }
        }, endChunk: {
            if flushEachChunk {
                submit(builder.takeBatch())
                drain(waitingFor: submitted)
            } else {
                builder.flushPending()
            }
            return writeError == nil
        })
        submit(builder.takeBatch())
        drain(waitingFor: submitted)
        let collector = aggregator?.finish()
        if let writeError { throw writeError }
        if let failure = allWorkers.compactMap(\.handler.failure).first ?? aggregator?.failure { throw failure }

        var report = emptyReport()
        for worker in allWorkers {
            report.absorb(worker.handler.finished(with: outcome))
        }
        report.rejections = rejections
        report.lines = outcome.lines
        report.error = outcome.error
        let days = collector?.finished(unattributedSite: choice.fallbackSite) ?? []
        return (report, outcome, allWorkers.reduce(into: statsPool.keysUsed) { $0.formUnion($1.pool.keysUsed) }, days)
    }

    private func emptyReport() -> PassFileReport {
        PassFileReport(path: path, policyCount: allWorkers[0].handler.report.linesByPolicy.count)
    }

    private func takeWorker() -> Worker {
        workersFree.wait()
        lock.lock()
        defer { lock.unlock() }
        return idleWorkers.removeLast()
    }

    private func takeBlock() -> OutputBlock {
        lock.lock()
        defer { lock.unlock() }
        return spareBlocks.popLast() ?? OutputBlock(capacity: blockCapacity)
    }

    private func putBlock(_ block: OutputBlock) {
        lock.lock()
        spareBlocks.append(block)
        lock.unlock()
    }

    private func putWorker(_ worker: Worker) {
        lock.lock()
        idleWorkers.append(worker)
        lock.unlock()
        workersFree.signal()
    }
}
