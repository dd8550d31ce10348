import LogWardThreads
import CMemory

/// Hints that bring memory into this core's cache ahead of use. A pass hands its data from thread to thread
/// (reader, workers, aggregator, on different cores), and the first touch of a line another core wrote, or of a
/// random cache slot, is a wait for memory; asked for a few lines earlier, it arrives while other lines are done.
/// Public and inlinable (not package, which this toolchain does not inline across modules): every layer calls it
/// per line.
public enum Prefetch {
    /// Every cache line of `count` bytes from `start`.
    @inlinable @inline(__always)
    public static func bytes(_ start: UnsafeRawPointer, count: Int) {
        guard count > 0 else { return }
        var offset = 0
        while offset < count {
            logward_prefetch(start + offset)
            offset += 64
        }
        logward_prefetch(start + (count - 1))
    }

    /// The element at `index` of `buffer`, when there is one.
    @inlinable @inline(__always)
    public static func element<T>(_ index: Int, of buffer: UnsafeBufferPointer<T>) {
        guard index < buffer.count, let base = buffer.baseAddress else { return }
        bytes(UnsafeRawPointer(base + index), count: MemoryLayout<T>.size)
    }
}
