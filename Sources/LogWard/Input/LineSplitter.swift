import CMemory
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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
    /// Whether the chunk being fed has a `\r` anywhere (a line carried over from the chunk before is always searched).
    private var chunkHoldsCarriageReturn = true

    public init(maximumLineLength: Int = LineSplitter.defaultMaximumLineLength) {
        precondition(maximumLineLength > 0)
        self.maximumLineLength = maximumLineLength
        carry.reserveCapacity(min(maximumLineLength + 1, 1 << 20))
    }

    /// Lines seen so far, complete or rejected.
    public var lineCount: Int { nextNumber - 1 }

    public mutating func feed(_ chunk: UnsafeRawBufferPointer, _ body: (LineEvent) throws -> Void) rethrows {
        guard let base = chunk.baseAddress else { return }
        var start = 0
        let count = chunk.count
        // One search of the chunk spares most lines their own search for a carriage return.
        chunkHoldsCarriageReturn = memchr(base, 0x0D, count) != nil
        while start < count {
            guard let found = memchr(base + start, 0x0A, count - start) else {
                keepPartial(UnsafeRawBufferPointer(start: base + start, count: count - start))
                return
            }
            let end = base.distance(to: UnsafeRawPointer(found))
            let piece = UnsafeRawBufferPointer(start: base + start, count: end - start)
            if skipping {
                skippedLength += Int64(piece.count)
                try emitTooLong(terminatorLength: 1, body)
            } else if carry.isEmpty {
                try emit(piece, terminatorLength: 1, body)
            } else if carry.count + piece.count > maximumLineLength + 1 {
                skippedLength = Int64(carry.count + piece.count)
                carry.removeAll(keepingCapacity: true)
                try emitTooLong(terminatorLength: 1, body)
            } else {
                carry.append(contentsOf: piece)
                try emitCarry(terminatorLength: 1, body)
            }
            start = end + 1
        }
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
        } else if carry.count + piece.count > maximumLineLength + 1 {
            // The +1 leaves room for a `\r` that the newline will strip.
            skipping = true
            skippedLength = Int64(carry.count + piece.count)
            carry.removeAll(keepingCapacity: true)
        } else {
            carry.append(contentsOf: piece)
        }
    }

    private mutating func emit(_ raw: UnsafeRawBufferPointer, terminatorLength: Int, _ body: (LineEvent) throws -> Void) rethrows {
        var line = raw
        var terminator = terminatorLength
        if terminatorLength == 1, let last = line.last, last == 0x0D {
            line = UnsafeRawBufferPointer(rebasing: line.dropLast())
            terminator = 2
        }
        // A bare carriage return ends a line too (old Mac line ends): inside a line it would hide a second record
        // in the last field of the first.
        while chunkHoldsCarriageReturn, let base = line.baseAddress, case let found = logward_find_byte(base, line.count, 0x0D), found >= 0 {
            let position = advance(rawCount: found, terminatorLength: 1)
            try body(Self.event(UnsafeRawBufferPointer(rebasing: line[..<found]), position, maximumLineLength))
            line = UnsafeRawBufferPointer(rebasing: line[(found + 1)...])
        }
        let position = advance(rawCount: line.count, terminatorLength: terminator)
        try body(Self.event(line, position, maximumLineLength))
    }

    private mutating func emitCarry(terminatorLength: Int, _ body: (LineEvent) throws -> Void) rethrows {
        var line: [UInt8] = []
        swap(&line, &carry)
        defer {
            swap(&line, &carry)
            carry.removeAll(keepingCapacity: true)
        }
        let holds = chunkHoldsCarriageReturn
        chunkHoldsCarriageReturn = true
        defer { chunkHoldsCarriageReturn = holds }
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
