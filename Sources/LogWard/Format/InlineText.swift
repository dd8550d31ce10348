import LogWardInput
/// A few bytes of text built on the stack (an address's canonical text, at most 39 bytes; a pseudonym, 18), then
/// appended to their destination in one piece.
public struct InlineText: ByteAppendable {
    // Public and inlinable, not package: this toolchain inlines no `package` function into another module, and
    // these are called per byte of an address or a pseudonym from the anonymizer's layer.
    @usableFromInline static var capacity: Int { 48 }
    @usableFromInline var storage: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0)
    @usableFromInline var length = 0
    @inlinable public var count: Int { length }

    @inlinable public init() {}

    @inlinable @inline(__always)
    public mutating func append(_ byte: UInt8) {
        precondition(length < Self.capacity, "inline text longer than \(Self.capacity) bytes")
        withUnsafeMutableBytes(of: &storage) { $0[length] = byte }
        length += 1
    }

    @inlinable
    public mutating func appendBytes(_ bytes: Span<UInt8>) {
        for index in bytes.indices { append(bytes[index]) }
    }

    @inlinable
    public func bytesEqual(from start: Int, _ other: Span<UInt8>) -> Bool {
        withBytes { length - start == other.count && $0.extracting(start...).elementsEqual(other) }
    }

    /// The text's bytes.
    @inlinable
    public func withBytes<Result>(_ body: (Span<UInt8>) throws -> Result) rethrows -> Result {
        try Swift.withUnsafeBytes(of: storage) { try body(Span(_unsafeBytes: UnsafeRawBufferPointer(rebasing: $0[0..<length]))) }
    }
}
