import LogWardOutput
/// Whole lines of the decoded input, copied into one buffer for a parallel worker, with where each line lies
/// (or that the splitter already rejected it).
struct LineBatch {
    /// One line of a batch, or a line the splitter already rejected.
    struct Entry {
        enum Kind { case line, tooLong, truncated }
        var kind: Kind
        var range: Range<Int>
        var position: LinePosition
    }

    var bytes: [UInt8] = []
    var entries: [Entry] = []

    /// Room for `byteCount` bytes of lines (and a guess at how many lines that is), reserved once.
    init(reservingBytes byteCount: Int = 0) {
        guard byteCount > 0 else { return }
        bytes.reserveCapacity(byteCount)
        entries.reserveCapacity(byteCount / 128)
    }
}
