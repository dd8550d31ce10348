import Dispatch
import Foundation

/// Anonymizes one input on several cores: this thread cuts the decoded stream into batches of whole lines,
/// workers parse and rewrite batches in parallel, and the batches are written in input order, so the output
/// is byte for byte what one thread writes. Used when nothing needs lines in sequence (no statistics, no
/// line-by-line pipe).
final class ParallelAnonymizer: @unchecked Sendable {
    static let defaultBatchBytes = 512 * 1024
    private let batchBytes: Int
    static let batchesInFlight = 6

    /// One line of a batch, or a line the splitter already rejected.
    private struct Entry {
        enum Kind { case line, tooLong, truncated }
        var kind: Kind
        var range: Range<Int>
        var position: LinePosition
    }

    private struct Batch {
        var bytes: [UInt8] = []
        var entries: [Entry] = []
    }

    private struct Result {
        var output: [UInt8]
        var rejections: RejectionTally
        var edge: StatsCollector.BatchEdge?
    }

    /// A worker's own parser, record and handler (with its own pseudonym caches).
    private final class Worker {
        // A worker is taken by one thread at a time: no dynamic exclusivity checks on its per-line state.
        let parser: RecordParser
        @exclusivity(unchecked) var record: LogRecord
        @exclusivity(unchecked) var handler: PassHandler
        let sink = BatchOutput()
        let pool: PseudonymizerPool

        init(path: String, scan: ScanOptions, choice: PolicyChoice, keys: KeyStore?, onReject: RejectHandling,
             writes: Bool, statsTimeZone: StatsTimeZone?) {
            parser = RecordParser(format: scan.format)
            record = parser.makeRecord()
            let pool = PseudonymizerPool(keys: keys)
            self.pool = pool
            var stats: StatsCollector?
            if let statsTimeZone { stats = StatsCollector(policies: choice.set.policies, pool: pool, timeZone: statsTimeZone) }
            handler = PassHandler(path: path, format: scan.format, choice: choice, pool: pool, output: writes ? sink : nil,
                                  stats: stats, onReject: onReject)
        }

        func process(_ batch: Batch) -> Result {
            sink.bytes = []
            sink.bytes.reserveCapacity(batch.bytes.count + batch.bytes.count / 4)
            handler.beginBatch()
            batch.bytes.withUnsafeBytes { all in
                for entry in batch.entries {
                    switch entry.kind {
                    case .line:
                        let line = UnsafeRawBufferPointer(rebasing: all[entry.range])
                        if let reason = parser.parse(line, into: &record) {
                            handler.reject(reason, line: line, at: entry.position)
                        } else {
                            handler.handle(record, line: line, at: entry.position)
                        }
                    case .tooLong:
                        handler.reject(.lineTooLong, line: nil, at: entry.position)
                    case .truncated:
                        handler.reject(.truncatedInput, line: nil, at: entry.position)
                    }
                }
            }
            let edge = handler.endBatch()
            return Result(output: sink.bytes, rejections: handler.takeRejections(), edge: edge)
        }
    }

    private let path: String
    private let scan: ScanOptions
    private let output: LogOutput?
    private let statsTimeZone: StatsTimeZone?
    private let choice: PolicyChoice
    private var idleWorkers: [Worker]
    private let allWorkers: [Worker]
    private let lock = NSLock()
    private let resultReady = NSCondition()
    private var results: [Int: Result] = [:]
    private let workersFree: DispatchSemaphore
    private let queue = DispatchQueue(label: "logward.anonymize", attributes: .concurrent)

    /// `output` nil writes nothing; `statsTimeZone` set collects statistics in the workers.
    init(path: String, scan: ScanOptions, choice: PolicyChoice, keys: KeyStore?, output: LogOutput?,
         statsTimeZone: StatsTimeZone? = nil, onReject: RejectHandling, workers: Int,
         batchBytes: Int = ParallelAnonymizer.defaultBatchBytes) {
        self.path = path
        self.batchBytes = batchBytes
        self.scan = scan
        self.output = output
        self.statsTimeZone = statsTimeZone
        self.choice = choice
        workersFree = DispatchSemaphore(value: workers)
        allWorkers = (0..<workers).map { _ in
            Worker(path: path, scan: scan, choice: choice, keys: keys, onReject: onReject, writes: output != nil,
                   statsTimeZone: statsTimeZone)
        }
        idleWorkers = allWorkers
    }

    /// Reads, anonymizes and writes the whole input; returns its report (lines from the splitter) and outcome.
    func run() throws -> (AnonymizeFileReport, ScanOutcome, keysUsed: Set<String>, days: [DayStats]) {
        var outcome = ScanOutcome(lines: 0, inputBytes: 0, decodedBytes: 0, error: nil)
        var rejections = RejectionTally()
        // Failures before a batch's first record belong to the last record of the batches before it.
        var failures: [(key: StatsCollector.DayKey?, count: Int)] = []
        var lastKey: StatsCollector.DayKey?
        var fileFirstKey: StatsCollector.DayKey?
        var submitted = 0
        var written = 0
        var writeError: (any Error)?

        /// Writes every finished batch that is next in order.
        func drain(waitingFor target: Int) {
            while written < target {
                resultReady.lock()
                while results[written] == nil { resultReady.wait() }
                let result = results.removeValue(forKey: written)!
                resultReady.unlock()
                if writeError == nil, let output {
                    do {
                        try result.output.withUnsafeBytes { bytes in
                            if !bytes.isEmpty { try output.writeRaw(bytes) }
                        }
                    } catch {
                        writeError = error
                    }
                }
                if let edge = result.edge {
                    if edge.leadingFailures > 0 { failures.append((lastKey, edge.leadingFailures)) }
                    if fileFirstKey == nil { fileFirstKey = edge.first }
                    if let last = edge.last { lastKey = last }
                }
                rejections.append(result.rejections)
                written += 1
            }
        }

        func submit(_ batch: Batch) {
            guard !batch.entries.isEmpty else { return }
            // Bounded memory: with too many batches out, write the oldest (waiting for it) before handing out more.
            if submitted - written >= Self.batchesInFlight { drain(waitingFor: written + 1) }
            let index = submitted
            submitted += 1
            queue.async { [self] in
                let worker = takeWorker()
                let result = worker.process(batch)
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

        let source: any ChunkSource
        do {
            source = try LogSource.open(path, identify: scan.identifyInputs)
        } catch {
            outcome.error = error as? InputError ?? .cannotOpen(path: path, reason: "\(error)")
            return (emptyReport(), outcome, [], [])
        }
        let stream = ChunkStream(source: source, chunkSize: scan.chunkSize, readAhead: scan.readAhead)
        var splitter = LineSplitter(maximumLineLength: scan.maximumLineLength)
        var batch = Batch()
        batch.bytes.reserveCapacity(batchBytes + 4096)
        func collect(_ event: LineEvent) {
            switch event {
            case .line(let line, let position):
                let start = batch.bytes.count
                batch.bytes.appendBytes(line)
                batch.entries.append(Entry(kind: .line, range: start..<batch.bytes.count, position: position))
            case .tooLong(_, let position):
                batch.entries.append(Entry(kind: .tooLong, range: 0..<0, position: position))
            case .truncated(_, let position):
                batch.entries.append(Entry(kind: .truncated, range: 0..<0, position: position))
            }
            if batch.bytes.count >= batchBytes {
                submit(batch)
                batch = Batch()
                batch.bytes.reserveCapacity(batchBytes + 4096)
            }
        }
        do {
            while let chunk = try stream.next() {
                outcome.decodedBytes += Int64(chunk.count)
                splitter.feed(chunk, collect)
                if writeError != nil { break }
            }
            splitter.finish(collect)
        } catch {
            splitter.finishTruncated(collect)
            outcome.error = error as? InputError ?? .readFailed(path: path, reason: "\(error)")
        }
        submit(batch)
        drain(waitingFor: submitted)
        outcome.lines = splitter.lineCount
        outcome.inputBytes = stream.inputOffset
        outcome.sha256 = source.sha256
        if let writeError { throw writeError }
        if let failure = allWorkers.compactMap(\.handler.failure).first { throw failure }

        var report = emptyReport()
        for worker in allWorkers {
            report.absorb(worker.handler.finished(with: outcome))
        }
        report.rejections = rejections
        report.lines = outcome.lines
        report.error = outcome.error
        var days: [DayStats] = []
        if let statsTimeZone {
            // The first worker's accumulators take in the others' (no third copy of the visitor sets).
            var merged = allWorkers[0].handler.stats
                ?? StatsCollector(policies: choice.set.policies, pool: allWorkers[0].pool, timeZone: statsTimeZone)
            for worker in allWorkers.dropFirst() {
                if let stats = worker.handler.stats { merged.absorb(stats) }
            }
            for (key, count) in failures { merged.addFailures(count, to: key) }
            merged.setFileFirstKey(fileFirstKey)
            days = merged.finished(unattributedSite: choice.fallbackSite)
        }
        return (report, outcome, allWorkers.reduce(into: Set<String>()) { $0.formUnion($1.pool.keysUsed) }, days)
    }

    private func emptyReport() -> AnonymizeFileReport {
        AnonymizeFileReport(path: path, policyCount: allWorkers[0].handler.report.linesByPolicy.count)
    }

    private func takeWorker() -> Worker {
        workersFree.wait()
        lock.lock()
        defer { lock.unlock() }
        return idleWorkers.removeLast()
    }

    private func putWorker(_ worker: Worker) {
        lock.lock()
        idleWorkers.append(worker)
        lock.unlock()
        workersFree.signal()
    }
}
