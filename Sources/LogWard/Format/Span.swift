import LogWardInput
/// A byte range inside the current line: parsed fields point into the line instead of copying it. Its members are
/// inlinable: every layer above reads spans on every line.
public struct Span: Sendable, Equatable, CustomStringConvertible {
    public var start: Int
    public var end: Int

    @inlinable public static var none: Span { Span(start: -1, end: -1) }

    @inlinable
    public init(start: Int, end: Int) {
        self.start = start
        self.end = end
    }

    @inlinable public var isPresent: Bool { start >= 0 }
    @inlinable public var count: Int { isPresent ? end - start : 0 }

    /// The bytes of this span in `line`; empty when absent.
    @inlinable
    public func bytes(in line: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        guard isPresent else { return UnsafeRawBufferPointer(start: nil, count: 0) }
        return UnsafeRawBufferPointer(rebasing: line[start..<end])
    }

    /// True when the field is Apache's and nginx's placeholder for "no value".
    @inlinable
    public func isDash(in line: UnsafeRawBufferPointer) -> Bool {
        count == 1 && line[start] == UInt8(ascii: "-")
    }

    public var description: String { isPresent ? "\(start)..<\(end)" : "none" }
}
