import CMemory
import LogWardInput

/// The byte operations the layers above Input need on a `Span<UInt8>`, the view of a line (or of one of its fields)
/// that crosses layers: the compiler checks that no view outlives the batch or chunk it points into. `Span` is not a
/// `Sequence`; these few, written once here over its buffer, are public and inlinable because every layer calls them
/// per field (this toolchain inlines no `package` function into another module).
extension Span where Element == UInt8 {
    @inlinable public var first: UInt8? { isEmpty ? nil : self[0] }
    @inlinable public var last: UInt8? { isEmpty ? nil : self[count - 1] }

    /// The index of the first `byte` at or after `start`.
    @inlinable @inline(__always)
    public func firstIndex(of byte: UInt8, from start: Int = 0) -> Int? {
        ByteSearch.firstIndex(of: byte, in: self, from: start)
    }

    /// The index of the first `byte` within `range` (counted from the start of the whole view).
    @inlinable
    public func firstIndex(of byte: UInt8, in range: Range<Int>) -> Int? {
        extracting(..<range.upperBound).firstIndex(of: byte, from: range.lowerBound)
    }

    /// The index of the last `byte` within `range` (counted from the start of the whole view).
    @inlinable
    public func lastIndex(of byte: UInt8, in range: Range<Int>) -> Int? {
        var index = range.upperBound - 1
        while index >= range.lowerBound {
            if self[index] == byte { return index }
            index -= 1
        }
        return nil
    }

    @inlinable
    public func lastIndex(of byte: UInt8) -> Int? {
        var index = count - 1
        while index >= 0 {
            if self[index] == byte { return index }
            index -= 1
        }
        return nil
    }

    @inlinable
    public func map<T>(_ transform: (UInt8) throws -> T) rethrows -> [T] {
        try withUnsafeBufferPointer { try $0.map(transform) }
    }

    @inlinable
    public func contains(_ byte: UInt8) -> Bool { firstIndex(of: byte) != nil }

    @inlinable
    public func contains(where predicate: (UInt8) throws -> Bool) rethrows -> Bool {
        try withUnsafeBufferPointer { try $0.contains(where: predicate) }
    }

    @inlinable
    public func allSatisfy(_ predicate: (UInt8) throws -> Bool) rethrows -> Bool {
        try withUnsafeBufferPointer { try $0.allSatisfy(predicate) }
    }

    @inlinable
    public func elementsEqual(_ other: Span<UInt8>) -> Bool {
        guard count == other.count else { return false }
        guard count > 0 else { return true }
        return withUnsafeBytes { bytes in other.withUnsafeBytes { memcmp(bytes.baseAddress!, $0.baseAddress!, count) == 0 } }
    }

    @inlinable
    public func elementsEqual(_ other: [UInt8]) -> Bool { elementsEqual(other.span) }

    @inlinable
    public func elementsEqual<Other: Sequence<UInt8>>(_ other: Other) -> Bool {
        withUnsafeBufferPointer { $0.elementsEqual(other) }
    }

    @inlinable
    public func starts(with prefix: [UInt8]) -> Bool {
        prefix.count <= count && extracting(0..<prefix.count).elementsEqual(prefix)
    }
}

extension Array where Element == UInt8 {
    /// The bytes of a view, copied.
    @inlinable
    public init(_ bytes: Span<UInt8>) {
        self = bytes.withUnsafeBufferPointer { Array($0) }
    }
}

extension String {
    /// The bytes of a view decoded as UTF-8 (invalid sequences become U+FFFD).
    @inlinable
    public init(decoding bytes: Span<UInt8>, as encoding: UTF8.Type) {
        self = bytes.withUnsafeBufferPointer { String(decoding: $0, as: UTF8.self) }
    }
}
