import LogWardOutput
/// The lines of the chunk being split, where they are: no line is copied (copying them into batches cost `check
/// --threads 1` 7% more instructions, and `check` with two workers 3 MiB more memory). With one worker they are
/// processed on the reading thread before the chunk goes; with several, the chunk is kept from the stream for the
/// workers. A line that crossed chunks sits in the splitter's carry only during its event: the caller processes it
/// alone, at once (or copies it).
struct ChunkLines {
    private(set) var entries: [LineBatch.Entry] = []
    /// The chunk's bytes, which entries' ranges count from; empty between chunks.
    private(set) var bytes = UnsafeRawBufferPointer(start: nil, count: 0)
    /// About the bytes the entries since they were last taken span (each line and its newline): a batch's size.
    private(set) var lineBytes = 0

    init() { entries.reserveCapacity(4096) }

    mutating func startChunk(_ chunk: UnsafeRawBufferPointer) {
        bytes = chunk
    }

    /// Adds a line of the chunk (or a line the splitter rejected, which has no bytes); false for a line whose bytes
    /// lie outside the chunk.
    mutating func collect(_ event: LineEvent) -> Bool {
        lineBytes += 1
        switch event {
        case .line(let line, let position):
            guard let lineStart = line.baseAddress else {
                entries.append(LineBatch.Entry(kind: .line, range: 0..<0, position: position))
                return true
            }
            guard let chunkStart = bytes.baseAddress, lineStart >= chunkStart, lineStart + line.count <= chunkStart + bytes.count else {
                lineBytes -= 1
                return false
            }
            let start = lineStart - chunkStart
            entries.append(LineBatch.Entry(kind: .line, range: start..<start + line.count, position: position))
            lineBytes += line.count
        case .tooLong(_, let position):
            entries.append(LineBatch.Entry(kind: .tooLong, range: 0..<0, position: position))
        case .truncated(_, let position):
            entries.append(LineBatch.Entry(kind: .truncated, range: 0..<0, position: position))
        }
        return true
    }

    /// Forgets the processed entries; with `chunkEnded`, the chunk too (its bytes are about to go away).
    mutating func removeAll(chunkEnded: Bool) {
        entries.removeAll(keepingCapacity: true)
        lineBytes = 0
        if chunkEnded { bytes = UnsafeRawBufferPointer(start: nil, count: 0) }
    }

    /// The entries, for a worker's batch; the next ones start in an array with room for as many and an eighth.
    mutating func takeEntries() -> [LineBatch.Entry] {
        var taken: [LineBatch.Entry] = []
        taken.reserveCapacity(entries.count + entries.count / 8)
        swap(&taken, &entries)
        lineBytes = 0
        return taken
    }
}
