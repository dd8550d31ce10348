import LogWardInput
/// Something bytes are appended to: a growable `[UInt8]`, or the anonymizer's `LineBuffer` on the hot path.
public protocol ByteAppendable: ~Copyable {
    var count: Int { get }
    mutating func append(_ byte: UInt8)
    mutating func appendBytes(_ bytes: UnsafeRawBufferPointer)
    /// Whether the bytes from `start` to the end equal `other`.
    func bytesEqual(from start: Int, _ other: UnsafeRawBufferPointer) -> Bool
}

extension ByteAppendable where Self: ~Copyable {
    @inlinable @inline(__always)
    public mutating func appendBytes(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>) {
        guard !range.isEmpty else { return }
        appendBytes(UnsafeRawBufferPointer(rebasing: bytes[range]))
    }

    @inlinable @inline(__always)
    public mutating func append(contentsOf bytes: [UInt8]) {
        bytes.withUnsafeBytes { appendBytes($0) }
    }
}

extension Array: ByteAppendable where Element == UInt8 {
    /// Appends raw bytes with one copy. `append(contentsOf:)` with a raw buffer goes byte by byte.
    @inlinable @inline(__always)
    public mutating func appendBytes(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        append(contentsOf: UnsafeBufferPointer(start: base.assumingMemoryBound(to: UInt8.self), count: bytes.count))
    }

    public func bytesEqual(from start: Int, _ other: UnsafeRawBufferPointer) -> Bool {
        count - start == other.count && self[start...].elementsEqual(other)
    }
}
