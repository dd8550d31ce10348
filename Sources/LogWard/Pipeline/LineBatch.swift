import LogWardOutput
/// Whole lines of the decoded input for a parallel worker, with where each line lies (or that the splitter already
/// rejected it): lines of a chunk kept from the stream, where the reader put them, or a line that crossed chunks,
/// copied out of the splitter's carry.
struct LineBatch {
    /// One line of a batch, or a line the splitter already rejected.
    struct Entry {
        enum Kind { case line, tooLong, truncated }
        var kind: Kind
        var range: Range<Int>
        var position: LinePosition
    }

    var bytes: SharedBytes
    var entries: [Entry]
}

/// A parallel worker's lines, which it hands on to another thread with its result: a chunk kept from the stream, or
/// an array (a line that crossed chunks).
package enum SharedBytes: Sendable {
    case leased(BufferLease)
    case owned([UInt8])

    func withUnsafeBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        switch self {
        case .leased(let lease): try body(lease.bytes)
        case .owned(let bytes): try bytes.withUnsafeBytes(body)
        }
    }
}

/// A batch's lines as the taker of its result gets them: a parallel worker's, or, with one worker, the lines where
/// they are in the chunk, valid only during the call.
package enum BatchBytes {
    case shared(SharedBytes)
    case borrowed(UnsafeRawBufferPointer)

    func withUnsafeBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        switch self {
        case .shared(let bytes): try bytes.withUnsafeBytes(body)
        case .borrowed(let bytes): try body(bytes)
        }
    }
}
