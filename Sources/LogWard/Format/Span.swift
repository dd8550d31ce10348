/// A byte range inside the current line: parsed fields point into the line instead of copying it.
public struct Span: Sendable, Equatable, CustomStringConvertible {
    public var start: Int
    public var end: Int

    public static let none = Span(start: -1, end: -1)

    public init(start: Int, end: Int) {
        self.start = start
        self.end = end
    }

    public var isPresent: Bool { start >= 0 }
    public var count: Int { isPresent ? end - start : 0 }

    /// The bytes of this span in `line`; empty when absent.
    public func bytes(in line: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        guard isPresent else { return UnsafeRawBufferPointer(start: nil, count: 0) }
        return UnsafeRawBufferPointer(rebasing: line[start..<end])
    }

    /// True when the field is Apache's and nginx's placeholder for "no value".
    public func isDash(in line: UnsafeRawBufferPointer) -> Bool {
        count == 1 && line[start] == UInt8(ascii: "-")
    }

    public var description: String { isPresent ? "\(start)..<\(end)" : "none" }
}
