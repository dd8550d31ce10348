import LogWardOutput
/// A parallel worker's batch as the statistics see it, in line order: each parsed line's fields with where the
/// line lies in the batch's bytes, and each rejected line (a failure of the day of the record before it).
/// The aggregator counts batches in input order, so the numbers are those of one thread reading the file.
struct StatsBatch: Sendable {
    /// One line: a record's statistics fields, or a rejected line (`siteIndex` -1). A plain struct rather than an
    /// enum with a payload: the aggregator reads each in place instead of copying it out.
    struct Entry: Sendable {
        var fields: StatsLine
        var range: Range<Int>
        var epoch: Int64
        var policyIndex: Int
        var siteIndex: Int

        var isReject: Bool { siteIndex < 0 }
    }

    private(set) var entries: [Entry] = []
    /// Sites by index; a run of lines of one site shares one entry.
    private(set) var sites: [String] = []
    /// The address of the batch's first byte, which line ranges count from (kept as a number: the batch is
    /// handed to another thread, the pointer is not).
    private let base: Int
    init(base: UnsafeRawPointer?, capacity: Int = 0) {
        self.base = Int(bitPattern: base)
        entries.reserveCapacity(capacity)
    }

    mutating func add(_ record: LogRecord, line: UnsafeRawBufferPointer, policyIndex: Int, epoch: Int64, site: String) {
        if sites.last != site { sites.append(site) }
        let start = line.isEmpty ? 0 : Int(bitPattern: line.baseAddress) - base
        entries.append(Entry(fields: StatsLine(record), range: start..<(start + line.count), epoch: epoch, policyIndex: policyIndex,
                             siteIndex: sites.count - 1))
    }

    mutating func reject() {
        entries.append(Entry(fields: StatsLine(), range: 0..<0, epoch: 0, policyIndex: 0, siteIndex: -1))
    }
}
