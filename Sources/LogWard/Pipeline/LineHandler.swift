import LogWardOutput
/// Receives every line of an input exactly once: as a record, or as a rejection with its reason.
package protocol LineHandler {
    mutating func handle(_ record: LogRecord, line: Span<UInt8>, at position: LinePosition)
    /// `line` is nil when its bytes were never held (too long, cut off by an input error).
    mutating func reject(_ reason: RejectReason, line: Span<UInt8>?, at position: LinePosition)
}
