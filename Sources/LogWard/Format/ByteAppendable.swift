import LogWardInput
/// Something bytes are appended to: a growable `[UInt8]`, or the anonymizer's `LineBuffer` on the hot path.
public protocol ByteAppendable: ~Copyable {
    var count: Int { get }
    mutating func append(_ byte: UInt8)
    mutating func appendBytes(_ bytes: Span<UInt8>)
    /// Whether the bytes from `start` to the end equal `other`.
    func bytesEqual(from start: Int, _ other: Span<UInt8>) -> Bool
}

extension ByteAppendable where Self: ~Copyable {
    @inlinable @inline(__always)
    public mutating func appendBytes(_ bytes: Span<UInt8>, _ range: Range<Int>) {
        guard !range.isEmpty else { return }
        appendBytes(bytes.extracting(range))
    }

    @inlinable @inline(__always)
    public mutating func append(contentsOf bytes: [UInt8]) {
        appendBytes(bytes.span)
    }
}

extension Array: ByteAppendable where Element == UInt8 {
    /// Appends the bytes with one copy.
    @inlinable @inline(__always)
    public mutating func appendBytes(_ bytes: Span<UInt8>) {
        bytes.withUnsafeBufferPointer { append(contentsOf: $0) }
    }

    public func bytesEqual(from start: Int, _ other: Span<UInt8>) -> Bool {
        count - start == other.count && span.extracting(start...).elementsEqual(other)
    }
}
