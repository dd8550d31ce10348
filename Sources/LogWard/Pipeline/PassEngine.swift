import LogWardOutput
import Dispatch
import Foundation

/// The pass of `check`, `anonymize`, `stats` and the nightly job over one input, always in batches: this thread
/// cuts the decoded stream into batches of whole lines (`PassReader`), a worker parses each batch and hands its
/// records to its `PassHandler`, and the batches' output and results are taken in input order. With one worker each
/// chunk's lines are processed inline on the reading thread, where they are (`ChunkLines`); with N, workers take
/// copied batches in parallel and the output is byte for byte the same. A line-by-line pipe (`--line-buffered`) gets
/// each chunk's lines as soon as they are read.
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
        /// The two records lines are parsed into in turn (see `process`), at a fixed address: a record passed on
        /// from a local or an inout variable was copied (both records, 368 bytes each, on every line).
        private let records: UnsafeMutablePointer<LogRecord>
        /// Moved out for each batch (see `process`), so it is nil only while a batch is processed.
        @exclusivity(unchecked) private var handlerSlot: Handler?
        var handler: Handler { handlerSlot! }
        /// The batch's anonymized lines, written in place line by line, then swapped into the batch's output block
        /// (a line reaching its buffer through the block would retain and release the block).
        @exclusivity(unchecked) private var outputSlot: LineBuffer?

        init(format: LogFormat, handler: Handler, outputCapacity: Int) {
            outputSlot = LineBuffer(capacity: outputCapacity)
            parser = RecordParser(format: format)
            records = .allocate(capacity: 2)
            records.initialize(to: parser.makeRecord())
            (records + 1).initialize(to: parser.makeRecord())
            handlerSlot = handler
        }

        deinit {
            records.deinitialize(count: 2)
            records.deallocate()
        }

        /// A parsed line waiting for its turn, and which of the two records holds it.
        private struct Pending {
            /// Where the line is in the batch.
            var range: Range<Int>
            var position: LinePosition
            var record: Int
        }

        /// Each line is parsed one line before it is handled, into the record the line before does not use: what
        /// the handler will need for it (a client's pseudonym cache slot) is requested from memory while the line
        /// before it is handled (a client not seen lately is a miss to main memory, waited for in line otherwise).
        /// Lines are handled and rejected in input order.
        private static func process(_ entries: UnsafeBufferPointer<Entry>, in all: UnsafeRawBufferPointer, parser: borrowing RecordParser,
                                    records: UnsafeMutablePointer<LogRecord>, handler: inout Handler, output: inout LineBuffer) {
            // The view handlers get: the compiler checks that none keeps a line past its call.
            let batch = Span<UInt8>(_unsafeBytes: all)
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
                    let line = batch.extracting(entry.range)
                    let record = pending.map { 1 - $0.record } ?? 0
                    let failure = parser.parse(line, into: &records[record])
                    if failure == nil { handler.prefetch(for: &records[record]) }
                    if let last = pending { handler.handle(&records[last.record], line: batch.extracting(last.range), inBatch: last.range, at: last.position, appendingTo: &output) }
                    if let failure {
                        pending = nil
                        handler.reject(failure, line: line, at: entry.position, appendingTo: &output)
                    } else {
                        pending = Pending(range: entry.range, position: entry.position, record: record)
                    }
                case .tooLong, .truncated:
                    if let last = pending { handler.handle(&records[last.record], line: batch.extracting(last.range), inBatch: last.range, at: last.position, appendingTo: &output) }
                    pending = nil
                    handler.reject(entry.kind == .tooLong ? .lineTooLong : .truncatedInput, line: nil, at: entry.position,
                                   appendingTo: &output)
                }
            }
            if let last = pending { handler.handle(&records[last.record], line: batch.extracting(last.range), inBatch: last.range, at: last.position, appendingTo: &output) }
        }

        func process(_ batch: Batch, into block: OutputBlock) -> Result {
            let handled = batch.bytes.withUnsafeBytes { all in
                batch.entries.withUnsafeBufferPointer { process($0, in: all, into: block) }
            }
            return Result(output: block, handled: handled, bytes: handler.keepsBatchBytes ? batch.bytes : [])
        }

        /// The lines `entries` point to in `all`, where they are; their anonymized lines go into `block`.
        func process(_ entries: UnsafeBufferPointer<Entry>, in all: UnsafeRawBufferPointer, into block: OutputBlock) -> Handler.BatchResult {
            // The handler and the output are moved out of the class for the batch, so the per-line code reaches
            // them as locals.
            var handler = handlerSlot.take()!
            var output = outputSlot.take()!
            output.removeAll()
            handler.beginBatch(lines: entries.count)
            Self.process(entries, in: all, parser: parser, records: records, handler: &handler, output: &output)
            let handled = handler.endBatch()
            handlerSlot = handler
            // The block takes the lines; the worker keeps the block's old buffer for the next batch.
            swap(&output, &block.buffer)
            outputSlot = consume output
            return handled
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
    /// Output blocks the writer is done with, for the next batches (guarded by `lock`).
    private var spareBlocks: [OutputBlock] = []
    private let allWorkers: [Worker]
    private let lock = NSLock()
    private let work: OrderedWorkQueue<Worker, Result>

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
        allWorkers = handlers.map { Worker(format: scan.format, handler: $0, outputCapacity: blockCapacity) }
        work = OrderedWorkQueue(label: "logward.pass", workers: allWorkers)
    }

    /// The workers' handlers, with what they kept over the whole input (after `run`).
    package var handlers: [Handler] { allWorkers.map(\.handler) }

    /// Reads the whole input, writes its output and hands each batch's result to `take`, in input order, on this
    /// thread; returns how reading ended. Throws the first write error (after it nothing more is written).
    package func run(taking take: (Handler.BatchResult, _ bytes: BatchBytes) -> Void) throws -> ScanOutcome {
        var submitted = 0
        var written = 0
        var writeError: (any Error)?

        /// Writes a finished batch and hands its result on.
        func finish(_ block: OutputBlock, _ handled: Handler.BatchResult, _ bytes: BatchBytes) {
            if writeError == nil, let output {
                do {
                    try block.buffer.withBytes { bytes in
                        if !bytes.isEmpty { try output.writeRaw(bytes) }
                    }
                } catch {
                    writeError = error
                }
            }
            take(handled, bytes)
            putBlock(block)
            written += 1
        }

        func finish(_ result: Result) { finish(result.output, result.handled, .owned(result.bytes)) }

        /// With one worker: lines processed where they are, in the chunk (or the splitter's carry).
        func processInPlace(_ entries: UnsafeBufferPointer<Entry>, in all: UnsafeRawBufferPointer) {
            guard !entries.isEmpty else { return }
            submitted += 1
            let block = takeBlock()
            let handled = allWorkers[0].process(entries, in: all, into: block)
            finish(block, handled, .borrowed(all))
        }
        // Passed `inout` rather than captured by these functions: captured, it was checked for exclusive access
        // at run time on every line.
        func processChunkLines(_ chunkLines: inout ChunkLines, chunkEnded: Bool) {
            chunkLines.entries.withUnsafeBufferPointer { processInPlace($0, in: chunkLines.bytes) }
            chunkLines.removeAll(chunkEnded: chunkEnded)
        }
        /// A line outside the chunk (one that crossed chunks, in the splitter's carry): the lines before it, then it.
        func processAlone(_ event: LineEvent, after chunkLines: inout ChunkLines) {
            processChunkLines(&chunkLines, chunkEnded: false)
            guard case .line(let line, let position) = event else { return }
            let entry = Entry(kind: .line, range: 0..<line.count, position: position)
            withUnsafePointer(to: entry) { processInPlace(UnsafeBufferPointer(start: $0, count: 1), in: line) }
        }

        /// Writes every finished batch that is next in order.
        func drain(waitingFor target: Int) {
            while written < target { finish(work.take(written)) }
        }

        func submit(_ batch: Batch) {
            guard !batch.entries.isEmpty else { return }
            // Bounded memory: with too many batches out, write the oldest (waiting for it) before handing out more.
            if submitted - written >= PassEngineDefaults.batchesInFlight { drain(waitingFor: written + 1) }
            submitted += 1
            // The worker takes the batch out of its box, so its bytes go as soon as it is processed: held by the
            // closure, they lived until the work queue let go of the closure, after the result was taken, and a
            // reader running ahead held up to eight batches where four were meant (valgrind's massif, `check`).
            let box = BatchBox(batch)
            work.submit(submitted - 1) { [self] worker in worker.process(box.take(), into: takeBlock()) }
            // Write what is ready without waiting, so memory stays bounded by the batches in flight.
            let ready = work.isReady(written)
            if ready { drain(waitingFor: written + 1) }
        }

        var chunkLines = ChunkLines(entryCapacity: inline ? ChunkStream.defaultChunkSize / 64 : 0)
        var builder = LineBatchBuilder(batchBytes: inline ? 0 : batchBytes)
        let outcome = PassReader.read(path: path, options: scan, progress: progress, startChunk: { chunk in
            if inline { chunkLines.startChunk(chunk) } else { builder.startChunk(chunk) }
        }, deliver: { event in
            if inline {
                if !chunkLines.collect(event) { processAlone(event, after: &chunkLines) }
            } else if let full = builder.collect(event) {
                submit(full)
            }
        }, endChunk: {
            if inline {
                processChunkLines(&chunkLines, chunkEnded: true)
            } else if flushEachChunk {
                submit(builder.takeBatch())
                drain(waitingFor: submitted)
            } else {
                builder.flushPending()
            }
            return writeError == nil
        })
        if inline {
            processChunkLines(&chunkLines, chunkEnded: true)
        } else {
            submit(builder.takeBatch())
        }
        drain(waitingFor: submitted)
        if let writeError { throw writeError }
        return outcome
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
}

/// A batch handed to a worker, which takes it out (see `PassEngine.run`'s `submit`).
private final class BatchBox: @unchecked Sendable {
    private var batch: LineBatch?

    init(_ batch: LineBatch) { self.batch = batch }

    /// The batch, once: the box no longer holds it.
    func take() -> LineBatch {
        defer { batch = nil }
        return batch!
    }
}

/// A batch's lines as the taker of its result gets them: an array it may keep (a batch copied for a worker), or the
/// lines where they are in the chunk (a batch processed inline, with one worker), valid only during the call.
package enum BatchBytes {
    case owned([UInt8])
    case borrowed(UnsafeRawBufferPointer)

    func withUnsafeBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        switch self {
        case .owned(let bytes): try bytes.withUnsafeBytes(body)
        case .borrowed(let bytes): try body(bytes)
        }
    }
}

/// The sizes of every pass's batches (a generic class holds no static stored property).
public enum PassEngineDefaults {
    /// `check`'s batches, and those of a pass that counts statistics (whose batches' bytes go on to the aggregator
    /// as well): half a read chunk, as fast as 256 KiB (CPU time 0.99-1.01 of it over 5-9 pairs of each command) with
    /// 1.6 to 3.9 MiB less at the peak, which keeps the one pass over a day of 54,000 visitors at 54 MiB (60 with 256
    /// KiB and 6 in flight, 66 with 512 KiB: over the 64 MiB goal).
    public static let batchBytes = 128 * 1024
    /// The batches of an `anonymize` pass that counts no statistics: its time per line is the shortest, so each
    /// batch's hand-offs between threads weigh most. Measured in rounds against the code before the one engine (512
    /// KiB, 6 in flight), 7 rounds, median time ratio, peak RSS: 128 KiB 1.08 (hash), 1.08 (`-o .gz`), 1.16
    /// (truncate), 35/36/30 MiB; 384 KiB 1.03, 1.02, 0.98, 39/40/34 MiB, against the old code's 43/44/38.
    public static let anonymizeBatchBytes = 384 * 1024

    /// The batch size of a pass: `anonymizeBatchBytes` when it writes lines and counts no statistics.
    public static func batchBytes(writesLines: Bool, countsStatistics: Bool) -> Int {
        writesLines && !countsStatistics ? anonymizeBatchBytes : batchBytes
    }
    /// Batches handed to workers and not yet taken back: memory is bounded whatever the input's size.
    static let batchesInFlight = 4
    /// How many lines ahead a worker asks for the lines it will parse.
    static let lookahead = 4
}
