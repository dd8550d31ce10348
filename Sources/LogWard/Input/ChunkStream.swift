import LogWardThreads
/// Hands decoded chunks of one source to the caller, in order. With `readAhead`, a second thread inflates the
/// next chunks while the caller parses the current one; the bytes seen are the same either way. A chunk is valid
/// until the next call, or for as long as the caller keeps it (`keepCurrent`): a pass's workers parse chunks where
/// the reader put them.
public final class ChunkStream {
    public static let defaultChunkSize = 256 * 1024

    private let source: any ChunkSource
    /// How many chunks are inflated ahead of the one being parsed, at most (and the one parsed).
    private static let slotCount = 4
    private let readAhead: ReadAheadThread?
    /// Without read-ahead: the buffers chunks are read into, one unless chunks are kept.
    private let pool: BufferPool
    private var current: UnsafeMutableRawBufferPointer?
    private var currentCount = 0

    /// `keptChunks`: how many chunks the caller may keep at once besides the current one. The read-ahead ring gets
    /// as many more slots, so the thread can still fill one while they are kept, and its chunks are smaller: the
    /// ring holds `slotCount` times `chunkSize` bytes whatever it keeps (kept 256 KiB chunks cost `check` 1 MiB of
    /// peak RSS and saved no time).
    public init(source: any ChunkSource, chunkSize: Int = ChunkStream.defaultChunkSize, readAhead: Bool, keptChunks: Int = 0) {
        self.source = source
        let slots = Self.slotCount + keptChunks
        let chunkSize = max(1, chunkSize * Self.slotCount / slots)
        pool = BufferPool(bufferSize: chunkSize)
        if readAhead {
            self.readAhead = ReadAheadThread(name: "logward-reader", slots: slots, bufferSize: chunkSize,
                                             fill: { try source.fill($0) }, position: { source.inputOffset })
        } else {
            self.readAhead = nil
        }
    }

    deinit {
        readAhead?.stop()
        if let current { pool.put(current) }
    }

    public var path: String { source.path }

    /// The next chunk, valid until the following call unless kept; nil at the clean end of the input.
    package func next() throws -> UnsafeRawBufferPointer? {
        if let readAhead { return try readAhead.next() }
        let buffer = current ?? pool.take()
        current = buffer
        currentCount = try source.fill(buffer)
        return currentCount == 0 ? nil : UnsafeRawBufferPointer(rebasing: buffer[..<currentCount])
    }

    /// The chunk `next` returned last, kept until the lease's last reference goes (on any thread). With read-ahead,
    /// a kept chunk holds its slot of the ring and the thread fills none past it: `next` waits once the stream is
    /// `keptChunks` chunks past the oldest chunk still kept, until it goes (a pass's workers let go of their
    /// chunks without the reading thread).
    package func keepCurrent() -> BufferLease {
        if let readAhead { return readAhead.keepCurrent() }
        guard let current else { preconditionFailure("no chunk to keep") }
        self.current = nil
        return pool.lease(current, count: currentCount)
    }

    /// Input bytes consumed by the reader so far (ahead of the caller when reading ahead).
    public var inputOffset: Int64 { readAhead?.filledPosition ?? source.inputOffset }
}
