import LogWardOutput
/// Cuts the splitter's lines into batches of about `batchBytes`. Consecutive lines of one chunk are copied into the
/// batch as one run (their newlines too), not line by line. A struct the reader owns: as state captured by the
/// reader's closures it was checked for exclusive access at run time on every line.
struct LineBatchBuilder {
    private let batchBytes: Int
    private var batch: LineBatch
    /// The run's bytes in the current chunk, valid until the splitter is fed again.
    private var pending = UnsafeRawBufferPointer(start: nil, count: 0)
    /// The chunk being split: a run only ever lies inside it (a line that crossed chunks sits in the splitter's
    /// own buffer, and is copied as it comes).
    private var chunkStart = UnsafeRawPointer(bitPattern: 1)!
    private var chunkEnd = UnsafeRawPointer(bitPattern: 1)!

    init(batchBytes: Int) {
        self.batchBytes = batchBytes
        batch = LineBatch(reservingBytes: batchBytes + 4096)
    }

    /// The chunk the next lines come from.
    mutating func startChunk(_ chunk: UnsafeRawBufferPointer) {
        chunkStart = chunk.baseAddress ?? chunkStart
        chunkEnd = chunkStart + chunk.count
    }

    /// Adds a line (or a rejected one); returns the batch when it is full, and starts the next.
    mutating func collect(_ event: LineEvent) -> LineBatch? {
        switch event {
        case .line(let line, let position):
            guard let lineStart = line.baseAddress else {
                let start = batch.bytes.count + pending.count
                batch.entries.append(LineBatch.Entry(kind: .line, range: start..<start, position: position))
                break
            }
            guard lineStart >= chunkStart, lineStart + line.count <= chunkEnd else {
                // A line that crossed chunks (or the last one, without its newline) sits in the splitter's carry
                // only during this call: copied now. Left pending, it was read after the splitter had let it go
                // (a use after free the anonymizer fuzz target found with two workers).
                flushPending()
                let start = batch.bytes.count
                batch.bytes.appendBytes(Span(_unsafeBytes: line))
                batch.entries.append(LineBatch.Entry(kind: .line, range: start..<start + line.count, position: position))
                break
            }
            if let runStart = pending.baseAddress, lineStart >= runStart + pending.count, lineStart - (runStart + pending.count) <= 2 {
                // The next line of the same chunk: the run grows over the newline (and `\r`) between them.
                pending = UnsafeRawBufferPointer(start: runStart, count: lineStart - runStart + line.count)
            } else {
                flushPending()
                pending = line
            }
            let start = batch.bytes.count + (lineStart - pending.baseAddress!)
            batch.entries.append(LineBatch.Entry(kind: .line, range: start..<start + line.count, position: position))
        case .tooLong(_, let position):
            batch.entries.append(LineBatch.Entry(kind: .tooLong, range: 0..<0, position: position))
        case .truncated(_, let position):
            batch.entries.append(LineBatch.Entry(kind: .truncated, range: 0..<0, position: position))
        }
        guard batch.bytes.count + pending.count >= batchBytes else { return nil }
        return takeBatch()
    }

    /// Copies the run into the batch: before the splitter is fed again, the run's bytes go away.
    mutating func flushPending() {
        if !pending.isEmpty { batch.bytes.appendBytes(Span(_unsafeBytes: pending)) }
        pending = UnsafeRawBufferPointer(start: nil, count: 0)
    }

    /// The batch so far (possibly empty), and a new one started.
    mutating func takeBatch() -> LineBatch {
        flushPending()
        defer { batch = LineBatch(reservingBytes: batchBytes + 4096) }
        return batch
    }
}
