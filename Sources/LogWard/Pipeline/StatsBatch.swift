/// A parallel worker's batch as the statistics see it, in line order: each parsed line's fields with where the
/// line lies in the batch's bytes, and each rejected line (a failure of the day of the record before it).
/// The aggregator counts batches in input order, so the numbers are those of one thread reading the file.
struct StatsBatch: Sendable {
    enum Event: Sendable {
        case line(StatsLine, range: Range<Int>, epoch: Int64, policyIndex: Int, siteIndex: Int)
        case reject
    }

    private(set) var events: [Event] = []
    /// Sites by index; a run of lines of one site shares one entry.
    private(set) var sites: [String] = []
    /// The address of the batch's first byte, which line ranges count from (kept as a number: the batch is
    /// handed to another thread, the pointer is not).
    private let base: Int

    init(base: UnsafeRawPointer?) { self.base = Int(bitPattern: base) }

    mutating func add(_ record: LogRecord, line: UnsafeRawBufferPointer, policyIndex: Int, epoch: Int64, site: String) {
        if sites.last != site { sites.append(site) }
        let start = line.isEmpty ? 0 : Int(bitPattern: line.baseAddress) - base
        events.append(.line(StatsLine(record), range: start..<(start + line.count), epoch: epoch, policyIndex: policyIndex,
                            siteIndex: sites.count - 1))
    }

    mutating func reject() { events.append(.reject) }
}
