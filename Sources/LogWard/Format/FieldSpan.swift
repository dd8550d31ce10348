import LogWardInput
/// A byte range inside the current line: parsed fields point into the line instead of copying it. Its members are
/// inlinable: every layer above reads spans on every line.
public struct FieldSpan: Sendable, Equatable, CustomStringConvertible {
    public var start: Int
    public var end: Int

    @inlinable public static var none: FieldSpan { FieldSpan(start: -1, end: -1) }

    @inlinable
    public init(start: Int, end: Int) {
        self.start = start
        self.end = end
    }

    @inlinable public var isPresent: Bool { start >= 0 }
    @inlinable public var count: Int { isPresent ? end - start : 0 }

    /// Where this field's bytes are in its line, empty when absent: `line.extracting(field.range)`.
    @inlinable public var range: Range<Int> { isPresent ? start..<end : 0..<0 }

    /// True when the field is Apache's and nginx's placeholder for "no value".
    @inlinable
    public func isDash(in line: Span<UInt8>) -> Bool {
        count == 1 && line[start] == UInt8(ascii: "-")
    }

    public var description: String { isPresent ? "\(start)..<\(end)" : "none" }
}
