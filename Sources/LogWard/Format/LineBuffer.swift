import LogWardInput
/// A growable byte buffer without Array's per-append bookkeeping: one capacity check and a memcpy.
/// Noncopyable, so it owns its memory and frees it once.
public struct LineBuffer: ~Copyable, ByteAppendable {
    // Usable from inline: the per-field appends are inlined into the anonymizer's layer (callgrind: +14% without).
    @usableFromInline var base: UnsafeMutableRawPointer
    @usableFromInline var capacity: Int
    @usableFromInline var length = 0
    public var count: Int { length }

    public init(capacity: Int = 4096) {
        self.capacity = max(capacity, 64)
        base = .allocate(byteCount: self.capacity, alignment: 16)
    }

    deinit { base.deallocate() }

    public mutating func removeAll() { length = 0 }

    /// Drops the bytes after the first `newCount` (a line that failed halfway).
    public mutating func truncate(to newCount: Int) { length = min(length, max(newCount, 0)) }

    @inlinable @inline(__always)
    mutating func reserve(_ extra: Int) {
        guard length + extra > capacity else { return }
        var newCapacity = capacity * 2
        while newCapacity < length + extra { newCapacity *= 2 }
        let grown = UnsafeMutableRawPointer.allocate(byteCount: newCapacity, alignment: 16)
        grown.copyMemory(from: base, byteCount: length)
        base.deallocate()
        base = grown
        capacity = newCapacity
    }

    @inlinable @inline(__always)
    public mutating func append(_ byte: UInt8) {
        reserve(1)
        base.storeBytes(of: byte, toByteOffset: length, as: UInt8.self)
        length += 1
    }

    @inlinable @inline(__always)
    public mutating func appendBytes(_ bytes: Span<UInt8>) {
        bytes.withUnsafeBytes { appendRaw($0) }
    }

    @inlinable @inline(__always)
    mutating func appendRaw(_ bytes: UnsafeRawBufferPointer) {
        guard let source = bytes.baseAddress, bytes.count > 0 else { return }
        let size = bytes.count
        reserve(size)
        let target = base + length
        // Most of a line's pieces are a few bytes (`" `, a status, a size): copied with two overlapping loads and
        // stores instead of a call to memcpy each.
        if size >= 8 && size <= 16 {
            target.storeBytes(of: source.loadUnaligned(as: UInt64.self), as: UInt64.self)
            (target + size - 8).storeBytes(of: source.loadUnaligned(fromByteOffset: size - 8, as: UInt64.self), as: UInt64.self)
        } else if size >= 4 && size < 8 {
            target.storeBytes(of: source.loadUnaligned(as: UInt32.self), as: UInt32.self)
            (target + size - 4).storeBytes(of: source.loadUnaligned(fromByteOffset: size - 4, as: UInt32.self), as: UInt32.self)
        } else if size < 4 {
            target.storeBytes(of: source.load(as: UInt8.self), as: UInt8.self)
            if size > 1 {
                (target + size - 2).storeBytes(of: source.loadUnaligned(fromByteOffset: size - 2, as: UInt16.self), as: UInt16.self)
            }
        } else {
            target.copyMemory(from: source, byteCount: size)
        }
        length += size
    }

    public func bytesEqual(from start: Int, _ other: Span<UInt8>) -> Bool {
        guard length - start == other.count else { return false }
        return other.withUnsafeBytes { other in
            guard let otherBase = other.baseAddress else { return true }
            return memcmp(base + start, otherBase, other.count) == 0
        }
    }

    /// The bytes written so far.
    public func withBytes<Result>(_ body: (Span<UInt8>) throws -> Result) rethrows -> Result {
        try body(Span(_unsafeBytes: UnsafeRawBufferPointer(start: base, count: length)))
    }

    /// For the sinks, which hand the bytes to zlib, ISA-L and `write(2)`.
    public func withUnsafeBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        try body(UnsafeRawBufferPointer(start: base, count: length))
    }
}
