import LogWardOutput
import Dispatch
import Foundation

/// The pass of `check`, `anonymize`, `stats` and the nightly job over one input, always in batches: this thread
/// cuts the decoded stream into batches of whole lines (`PassReader`), a worker parses each batch and hands its
/// records to its `PassHandler`, and the batches' output and results are taken in input order. With one worker the
/// batch is processed inline on the reading thread; with N, workers take batches in parallel and the output is byte
/// for byte the same. A line-by-line pipe (`--line-buffered`) gets each chunk's lines as soon as they are read.
package final class PassEngine<Handler: PassHandler>: @unchecked Sendable {
    private let batchBytes: Int

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
        var handled: Handler.BatchResult
        /// The batch's lines, when the handler's result points into them.
        var bytes: [UInt8]
    }

    /// A worker's own parser, records and handler.
    private final class Worker {
        // A worker is taken by one thread at a time: no dynamic exclusivity checks on its per-line state.
        let parser: RecordParser
        @exclusivity(unchecked) var record: LogRecord
        /// The line parsed ahead of `record` (see `process`).
        @exclusivity(unchecked) var nextRecord: LogRecord
        @exclusivity(unchecked) var handler: Handler
        /// The batch's anonymized lines, written in place line by line, then swapped into the batch's output block
        /// (a line reaching its buffer through the block would retain and release the block).
        @exclusivity(unchecked) var output: LineBuffer

        init(format: LogFormat, handler: Handler, outputCapacity: Int) {
            output = LineBuffer(capacity: outputCapacity)
            parser = RecordParser(format: format)
            record = parser.makeRecord()
            nextRecord = parser.makeRecord()
            self.handler = handler
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
                handler.handle(odd, line: pending.line, at: pending.position, appendingTo: &output)
            } else {
                handler.handle(even, line: pending.line, at: pending.position, appendingTo: &output)
            }
        }

        /// Each line is parsed one line before it is handled, into the record the line before does not use: what
        /// the handler will need for it (a client's pseudonym cache slot) is requested from memory while the line
        /// before it is handled (a client not seen lately is a miss to main memory, waited for in line otherwise).
        /// Lines are handled and rejected in input order.
        private func process(_ entries: UnsafeBufferPointer<Entry>, in all: UnsafeRawBufferPointer, even: inout LogRecord,
                             odd: inout LogRecord) {
            var pending: Pending?
            for index in entries.indices {
                // The reader wrote the batch on another core: its entries and lines are asked for ahead.
                Prefetch.element(index + 2 * PassEngineDefaults.lookahead, of: entries)
                if index + PassEngineDefaults.lookahead < entries.count {
                    let ahead = entries[index + PassEngineDefaults.lookahead].range
                    Prefetch.bytes(all.baseAddress! + ahead.lowerBound, count: ahead.count)
                }
                let entry = entries[index]
                switch entry.kind {
                case .line:
                    let line = UnsafeRawBufferPointer(rebasing: all[entry.range])
                    let intoOdd = !(pending?.inOdd ?? true)
                    let failure = intoOdd ? parser.parse(line, into: &odd) : parser.parse(line, into: &even)
                    if failure == nil {
                        if intoOdd { handler.prefetch(for: odd) } else { handler.prefetch(for: even) }
                    }
                    if let last = pending { handle(last, even: even, odd: odd) }
                    if let failure {
                        pending = nil
                        handler.reject(failure, line: line, at: entry.position, appendingTo: &output)
                    } else {
                        pending = Pending(line: line, position: entry.position, inOdd: intoOdd)
                    }
                case .tooLong, .truncated:
                    if let last = pending { handle(last, even: even, odd: odd) }
                    pending = nil
                    handler.reject(entry.kind == .tooLong ? .lineTooLong : .truncatedInput, line: nil, at: entry.position,
                                   appendingTo: &output)
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
                    handler.beginBatch(bytes: all, lines: entries.count)
                    process(entries, in: all, even: &even, odd: &odd)
                }
            }
            self.record = even
            self.nextRecord = odd
            let handled = handler.endBatch()
            // The block takes the lines; the worker keeps the block's old buffer for the next batch.
            swap(&output, &block.buffer)
            return Result(output: block, handled: handled, bytes: handler.keepsBatchBytes ? batch.bytes : [])
        }
    }

    private let path: String
    private let scan: ScanOptions
    private let output: LogOutput?
    private let progress: ((Int64) -> Void)?
    /// One worker: batches are processed on the reading thread.
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
    private let queue = DispatchQueue(label: "logward.pass", attributes: .concurrent)

    /// One worker per handler (one: the batches are processed on the reading thread). `output` nil writes nothing.
    package init(path: String, scan: ScanOptions, output: LogOutput?, handlers: [Handler], batchBytes: Int = PassEngineDefaults.batchBytes,
         progress: ((Int64) -> Void)? = nil) {
        precondition(!handlers.isEmpty, "a pass needs a handler")
        self.progress = progress
        self.path = path
        self.batchBytes = batchBytes
        let blockCapacity = output == nil ? 0 : batchBytes + batchBytes / 4
        self.blockCapacity = blockCapacity
        self.scan = scan
        self.output = output
        inline = handlers.count == 1
        flushEachChunk = output?.isLineBuffered ?? false
        workersFree = DispatchSemaphore.permits(handlers.count)
        allWorkers = handlers.map { Worker(format: scan.format, handler: $0, outputCapacity: blockCapacity) }
        idleWorkers = allWorkers
    }

    /// The workers' handlers, with what they kept over the whole input (after `run`).
    package var handlers: [Handler] { allWorkers.map(\.handler) }

    /// Reads the whole input, writes its output and hands each batch's result to `take`, in input order, on this
    /// thread; returns how reading ended. Throws the first write error (after it nothing more is written).
    package func run(taking take: (Handler.BatchResult, _ bytes: [UInt8]) -> Void) throws -> ScanOutcome {
        var submitted = 0
        var written = 0
        var writeError: (any Error)?

        /// Writes a finished batch and hands its result on.
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
            take(result.handled, result.bytes)
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
            if submitted - written >= PassEngineDefaults.batchesInFlight { drain(waitingFor: written + 1) }
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
        if let writeError { throw writeError }
        return outcome
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

/// The sizes of every pass's batches (a generic class holds no static stored property).
public enum PassEngineDefaults {
    public static let batchBytes = 256 * 1024
    /// Batches handed to workers and not yet taken back: memory is bounded whatever the input's size.
    static let batchesInFlight = 4
    /// How many lines ahead a worker asks for the lines it will parse.
    static let lookahead = 4
}
