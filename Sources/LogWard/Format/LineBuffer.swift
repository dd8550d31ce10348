#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A growable byte buffer without Array's per-append bookkeeping: one capacity check and a memcpy.
/// Noncopyable, so it owns its memory and frees it once.
public struct LineBuffer: ~Copyable, ByteAppendable {
    private var base: UnsafeMutableRawPointer
    private var capacity: Int
    public private(set) var count = 0

    public init(capacity: Int = 4096) {
        self.capacity = max(capacity, 64)
        base = .allocate(byteCount: self.capacity, alignment: 16)
    }

    deinit { base.deallocate() }

    public mutating func removeAll() { count = 0 }

    /// Drops the bytes after the first `newCount` (a line that failed halfway).
    public mutating func truncate(to newCount: Int) { count = min(count, max(newCount, 0)) }

    @inline(__always)
    private mutating func reserve(_ extra: Int) {
        guard count + extra > capacity else { return }
        var newCapacity = capacity * 2
        while newCapacity < count + extra { newCapacity *= 2 }
        let grown = UnsafeMutableRawPointer.allocate(byteCount: newCapacity, alignment: 16)
        grown.copyMemory(from: base, byteCount: count)
        base.deallocate()
        base = grown
        capacity = newCapacity
    }

    @inline(__always)
    public mutating func append(_ byte: UInt8) {
        reserve(1)
        base.storeBytes(of: byte, toByteOffset: count, as: UInt8.self)
        count += 1
    }

    @inline(__always)
    public mutating func appendBytes(_ bytes: UnsafeRawBufferPointer) {
        guard let source = bytes.baseAddress, bytes.count > 0 else { return }
        let length = bytes.count
        reserve(length)
        let target = base + count
        // Most of a line's pieces are a few bytes (`" `, a status, a size): copied with two overlapping loads and
        // stores instead of a call to memcpy each.
        if length >= 8 && length <= 16 {
            target.storeBytes(of: source.loadUnaligned(as: UInt64.self), as: UInt64.self)
            (target + length - 8).storeBytes(of: source.loadUnaligned(fromByteOffset: length - 8, as: UInt64.self), as: UInt64.self)
        } else if length >= 4 && length < 8 {
            target.storeBytes(of: source.loadUnaligned(as: UInt32.self), as: UInt32.self)
            (target + length - 4).storeBytes(of: source.loadUnaligned(fromByteOffset: length - 4, as: UInt32.self), as: UInt32.self)
        } else if length < 4 {
            target.storeBytes(of: source.load(as: UInt8.self), as: UInt8.self)
            if length > 1 {
                (target + length - 2).storeBytes(of: source.loadUnaligned(fromByteOffset: length - 2, as: UInt16.self), as: UInt16.self)
            }
        } else {
            target.copyMemory(from: source, byteCount: length)
        }
        count += length
    }

    public func bytesEqual(from start: Int, _ other: UnsafeRawBufferPointer) -> Bool {
        guard count - start == other.count else { return false }
        guard let otherBase = other.baseAddress else { return true }
        return memcmp(base + start, otherBase, other.count) == 0
    }

    public func withUnsafeBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        try body(UnsafeRawBufferPointer(start: base, count: count))
    }
}
