import LogWardOutput
/// `check` on a pass's workers: each worker counts its batch's lines (`CheckCollector`), and the batches' tallies
/// are appended in input order, so the first examples and the first rejected line are the input's first.
struct CheckHandler: PassHandler {
    private var collector: CheckCollector

    init(path: String, format: LogFormat) {
        collector = CheckCollector(path: path, format: format)
    }

    var keepsBatchBytes: Bool { false }

    func beginBatch(lines: Int) {}

    mutating func prefetch(for record: inout LogRecord) {}

    mutating func handle(_ record: inout LogRecord, line: Span<UInt8>, inBatch range: Range<Int>, at position: LinePosition,
                         appendingTo out: inout LineBuffer) {
        collector.handle(record, line: line, at: position)
    }

    mutating func reject(_ reason: RejectReason, line: Span<UInt8>?, at position: LinePosition,
                         appendingTo out: inout LineBuffer) {
        collector.reject(reason, line: line, at: position)
    }

    mutating func endBatch() -> CheckCollector.Tally { collector.takeTally() }
}
