/// A few bytes of text built on the stack (an address's canonical text, at most 39 bytes; a pseudonym, 18), then
/// appended to their destination in one piece.
struct InlineText: ByteAppendable {
    static let capacity = 48
    private var storage: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0)
    private(set) var count = 0

    @inline(__always)
    mutating func append(_ byte: UInt8) {
        precondition(count < Self.capacity, "inline text longer than \(Self.capacity) bytes")
        withUnsafeMutableBytes(of: &storage) { $0[count] = byte }
        count += 1
    }

    mutating func appendBytes(_ bytes: UnsafeRawBufferPointer) {
        for byte in bytes { append(byte) }
    }

    func bytesEqual(from start: Int, _ other: UnsafeRawBufferPointer) -> Bool {
        withUnsafeBytes { count - start == other.count && $0[start...].elementsEqual(other) }
    }

    func withUnsafeBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        try Swift.withUnsafeBytes(of: storage) { try body(UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
    }
}
