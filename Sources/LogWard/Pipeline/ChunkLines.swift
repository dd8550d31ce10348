import LogWardOutput
/// The lines of the chunk being split, where they are, for a pass with one worker: its batch is processed on the
/// reading thread while the chunk is still there, so no line is copied (copying them into a batch cost `check
/// --threads 1` 7% more instructions). A line that crossed chunks sits in the splitter's carry only during its
/// event: the caller processes it alone, at once.
struct ChunkLines {
    private(set) var entries: [LineBatch.Entry] = []
    /// The chunk's bytes, which entries' ranges count from; empty between chunks.
    private(set) var bytes = UnsafeRawBufferPointer(start: nil, count: 0)

    /// `entryCapacity`: room for a chunk's lines, reserved once (none for a pass whose workers take batches, where
    /// 160 KiB of entries stood unused at `check`'s peak).
    init(entryCapacity: Int) { entries.reserveCapacity(entryCapacity) }

    mutating func startChunk(_ chunk: UnsafeRawBufferPointer) {
        bytes = chunk
    }

    /// Adds a line of the chunk (or a line the splitter rejected, which has no bytes); false for a line whose bytes
    /// lie outside the chunk.
    mutating func collect(_ event: LineEvent) -> Bool {
        switch event {
        case .line(let line, let position):
            guard let lineStart = line.baseAddress else {
                entries.append(LineBatch.Entry(kind: .line, range: 0..<0, position: position))
                return true
            }
            guard let chunkStart = bytes.baseAddress, lineStart >= chunkStart, lineStart + line.count <= chunkStart + bytes.count else {
                return false
            }
            let start = lineStart - chunkStart
            entries.append(LineBatch.Entry(kind: .line, range: start..<start + line.count, position: position))
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
        if chunkEnded { bytes = UnsafeRawBufferPointer(start: nil, count: 0) }
    }
}
