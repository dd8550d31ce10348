import LogWardAggregate
/// Writes to a file descriptor through a buffer; `flush` empties the buffer with write(2).
public final class DescriptorSink: ByteSink {
    public let path: String
    public let descriptor: Int32
    private let buffer: UnsafeMutableRawBufferPointer
    private var used = 0
    public private(set) var bytesWritten: Int64 = 0

    public init(descriptor: Int32, path: String, bufferSize: Int = 256 * 1024) {
        self.descriptor = descriptor
        self.path = path
        buffer = .allocate(byteCount: bufferSize, alignment: 16)
    }

    deinit { buffer.deallocate() }

    package func write(_ bytes: UnsafeRawBufferPointer) throws {
        // A batch's lines (a chunk's, with one worker) are large enough to go to write(2) as they are: copied into
        // the buffer first, they cost a memcpy of the whole output (2% of `anonymize --threads 1`'s instructions).
        if bytes.count >= buffer.count / 4 {
            try flush()
            try writeAll(bytes)
            return
        }
        if used + bytes.count > buffer.count { try flush() }
        UnsafeMutableRawBufferPointer(rebasing: buffer[used..<(used + bytes.count)]).copyMemory(from: bytes)
        used += bytes.count
    }

    public func flush() throws {
        guard used > 0 else { return }
        try writeAll(UnsafeRawBufferPointer(rebasing: buffer[..<used]))
        used = 0
    }

    public func finish() throws { try flush() }

    private func writeAll(_ bytes: UnsafeRawBufferPointer) throws {
        do {
            try SystemCalls.writeAll(descriptor, bytes)
        } catch {
            throw OutputError(path: path, reason: error.reason)
        }
        bytesWritten += Int64(bytes.count)
    }
}
