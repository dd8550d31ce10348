import LogWardThreads
import CMemory
/// Where a line sits in its (decoded) input.
public struct LinePosition: Sendable, Equatable {
    /// 1-based line number.
    public var number: Int
    /// Byte offset of the line's first byte in the decoded stream.
    public var offset: Int64
}

/// One piece of what a splitter cuts out of a byte stream.
public enum LineEvent {
    /// A complete line without its `\n` or `\r\n`; the bytes are valid only during the callback.
    case line(UnsafeRawBufferPointer, LinePosition)
    /// A line longer than the maximum: its bytes were skipped, never held.
    case tooLong(length: Int64, LinePosition)
    /// The input ended with an error inside this line, so its end was lost.
    case truncated(length: Int, LinePosition)
}

/// Cuts chunks into lines. Lines inside a chunk are handed over in place; only a line that crosses a chunk
/// boundary is copied, into a carry buffer never larger than the maximum line length.
public struct LineSplitter {
    public static let defaultMaximumLineLength = 64 * 1024

    public let maximumLineLength: Int
    private var carry: [UInt8] = []
    private var skippedLength: Int64 = 0
    private var skipping = false
    private var nextNumber = 1
    private var nextOffset: Int64 = 0
    /// The last chunk ended with `\r`: a `\n` opening the next belongs to the same line end.
    private var returnEndedLastChunk = false

    public init(maximumLineLength: Int = LineSplitter.defaultMaximumLineLength) {
        precondition(maximumLineLength > 0)
        self.maximumLineLength = maximumLineLength
        carry.reserveCapacity(min(maximumLineLength, 1 << 20))
    }

    /// Lines seen so far, complete or rejected.
    public var lineCount: Int { nextNumber - 1 }

    package mutating func feed(_ chunk: UnsafeRawBufferPointer, _ body: (LineEvent) throws -> Void) rethrows {
        guard let base = chunk.baseAddress else { return }
        var start = 0
        let count = chunk.count
        // A `\r` that ended the last chunk and this chunk's `\n` are one line end.
        if returnEndedLastChunk {
            returnEndedLastChunk = false
            if count > 0, chunk[0] == 0x0A {
                start = 1
                nextOffset += 1
            }
        }
        // A carriage return ends a line as a newline does (`\r\n` is one end): old Mac files are read line by line,
        // and no record hides inside the last field of another. Most chunks hold none, and one search says so.
        var nextReturn = Self.index(of: 0x0D, in: base, from: start, count: count)
        while start < count {
            var end = count
            if let found = memchr(base + start, 0x0A, count - start) { end = base.distance(to: UnsafeRawPointer(found)) }
            if nextReturn < start { nextReturn = Self.index(of: 0x0D, in: base, from: start, count: count) }
            var terminator = 1
            if nextReturn < end {
                end = nextReturn
                if end + 1 < count {
                    if chunk[end + 1] == 0x0A { terminator = 2 }
                } else {
                    returnEndedLastChunk = true
                }
            } else if end == count {
                keepPartial(UnsafeRawBufferPointer(start: base + start, count: count - start))
                return
            }
            let piece = UnsafeRawBufferPointer(start: base + start, count: end - start)
            if skipping {
                skippedLength += Int64(piece.count)
                try emitTooLong(terminatorLength: terminator, body)
            } else if carry.isEmpty {
                try emit(piece, terminatorLength: terminator, body)
            } else if carry.count + piece.count > maximumLineLength {
                skippedLength = Int64(carry.count + piece.count)
                carry.removeAll(keepingCapacity: true)
                try emitTooLong(terminatorLength: terminator, body)
            } else {
                carry.append(contentsOf: piece)
                try emitCarry(terminatorLength: terminator, body)
            }
            start = end + terminator
        }
    }

    /// The index of the first `byte` at or after `start`, or `count` when there is none.
    private static func index(of byte: UInt8, in base: UnsafeRawPointer, from start: Int, count: Int) -> Int {
        guard start < count, let found = memchr(base + start, Int32(byte), count - start) else { return count }
        return base.distance(to: UnsafeRawPointer(found))
    }

    /// Ends a clean input: a last line without a newline still counts.
    public mutating func finish(_ body: (LineEvent) throws -> Void) rethrows {
        if skipping {
            try emitTooLong(terminatorLength: 0, body)
        } else if !carry.isEmpty {
            try emitCarry(terminatorLength: 0, body)
        }
    }

    /// Ends an input cut short by an error: an unfinished line is reported as truncated, never as a record.
    public mutating func finishTruncated(_ body: (LineEvent) throws -> Void) rethrows {
        let position = LinePosition(number: nextNumber, offset: nextOffset)
        if skipping {
            try emitTooLong(terminatorLength: 0, body)
        } else if !carry.isEmpty {
            let length = carry.count
            carry.removeAll(keepingCapacity: true)
            nextNumber += 1
            nextOffset += Int64(length)
            try body(.truncated(length: length, position))
        }
    }

    private mutating func keepPartial(_ piece: UnsafeRawBufferPointer) {
        if skipping {
            skippedLength += Int64(piece.count)
        } else if carry.count + piece.count > maximumLineLength {
            skipping = true
            skippedLength = Int64(carry.count + piece.count)
            carry.removeAll(keepingCapacity: true)
        } else {
            carry.append(contentsOf: piece)
        }
    }

    private mutating func emit(_ line: UnsafeRawBufferPointer, terminatorLength: Int, _ body: (LineEvent) throws -> Void) rethrows {
        let position = advance(rawCount: line.count, terminatorLength: terminatorLength)
        try body(Self.event(line, position, maximumLineLength))
    }

    private mutating func emitCarry(terminatorLength: Int, _ body: (LineEvent) throws -> Void) rethrows {
        var line: [UInt8] = []
        swap(&line, &carry)
        defer {
            swap(&line, &carry)
            carry.removeAll(keepingCapacity: true)
        }
        try line.withUnsafeBytes { try emit($0, terminatorLength: terminatorLength, body) }
    }

    private mutating func advance(rawCount: Int, terminatorLength: Int) -> LinePosition {
        let position = LinePosition(number: nextNumber, offset: nextOffset)
        nextNumber += 1
        nextOffset += Int64(rawCount + terminatorLength)
        return position
    }

    private static func event(_ line: UnsafeRawBufferPointer, _ position: LinePosition, _ maximum: Int) -> LineEvent {
        if line.count > maximum { return .tooLong(length: Int64(line.count), position) }
        return .line(line, position)
    }

    private mutating func emitTooLong(terminatorLength: Int, _ body: (LineEvent) throws -> Void) rethrows {
        let position = LinePosition(number: nextNumber, offset: nextOffset)
        let length = skippedLength
        nextNumber += 1
        nextOffset += length + Int64(terminatorLength)
        skipping = false
        skippedLength = 0
        try body(.tooLong(length: length, position))
    }
}
