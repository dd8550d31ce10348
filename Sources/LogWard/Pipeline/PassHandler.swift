import LogWardOutput
/// What a worker of `PassEngine` does with the lines of one batch, and what the batch hands back to the reading
/// thread: the one API of `check` (`CheckHandler`), `anonymize` and `stats` (`PolicyHandler`). A worker owns its
/// handler; results come back in input order, so a handler keeps nothing whose order matters across batches.
package protocol PassHandler {
    /// What one batch yields, taken in input order on the reading thread (counts, rejections, statistics fields).
    associatedtype BatchResult

    /// Whether the batch's bytes go back with its result (its statistics fields point into them).
    var keepsBatchBytes: Bool { get }

    /// Starts a batch of `lines` lines.
    mutating func beginBatch(lines: Int)

    /// A line just parsed, handled after the line before it: a chance to ask memory for what it will need.
    /// Mutating so that it is called in place: a non-mutating call on a handler held by a class copies the handler.
    /// The record is `inout` for the same reason, not to be changed: a record borrowed from the worker's storage was
    /// copied (368 bytes and its references) on every call.
    mutating func prefetch(for record: inout LogRecord)

    /// A parsed line, which lies at `range` in its batch's bytes; an anonymized line goes into `out`, the batch's
    /// output. `record` is not changed (see `prefetch`).
    mutating func handle(_ record: inout LogRecord, line: Span<UInt8>, inBatch range: Range<Int>, at position: LinePosition,
                         appendingTo out: inout LineBuffer)

    /// A rejected line (`line` nil when its bytes were never held); a scrubbed line goes into `out`.
    mutating func reject(_ reason: RejectReason, line: Span<UInt8>?, at position: LinePosition,
                         appendingTo out: inout LineBuffer)

    /// The batch's result; the handler starts the next batch empty.
    mutating func endBatch() -> BatchResult
}
