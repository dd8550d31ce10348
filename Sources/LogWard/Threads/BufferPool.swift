import Foundation

/// Buffers of one size, taken by one thread and given back from any (a lease's end): the chunks of a stream read
/// without a read-ahead thread, some kept by workers while the next are read. A buffer is allocated only when
/// none is free, so the pool holds as many as were ever out at once; they are freed with the pool.
public final class BufferPool: @unchecked Sendable {
    private let bufferSize: Int
    private let lock = NSLock()
    private var freeBuffers: [UnsafeMutableRawBufferPointer] = []

    public init(bufferSize: Int) {
        self.bufferSize = bufferSize
    }

    deinit {
        for buffer in freeBuffers { buffer.deallocate() }
    }

    public func take() -> UnsafeMutableRawBufferPointer {
        lock.lock()
        defer { lock.unlock() }
        return freeBuffers.popLast() ?? .allocate(byteCount: bufferSize, alignment: 16)
    }

    public func put(_ buffer: UnsafeMutableRawBufferPointer) {
        lock.lock()
        freeBuffers.append(buffer)
        lock.unlock()
    }

    /// `count` bytes of `buffer` kept until the lease goes, then given back to the pool (which the lease keeps).
    public func lease(_ buffer: UnsafeMutableRawBufferPointer, count: Int) -> BufferLease {
        BufferLease(bytes: UnsafeRawBufferPointer(rebasing: buffer[..<count])) { [self] in put(buffer) }
    }
}
