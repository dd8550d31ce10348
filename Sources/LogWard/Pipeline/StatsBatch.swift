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
    init(capacity: Int = 0) {
        entries.reserveCapacity(capacity)
    }

    /// A parsed line, which lies at `range` in the batch's bytes.
    mutating func add(_ record: LogRecord, inBatch range: Range<Int>, policyIndex: Int, epoch: Int64, site: String) {
        if sites.last != site { sites.append(site) }
        entries.append(Entry(fields: StatsLine(record), range: range, epoch: epoch, policyIndex: policyIndex,
                             siteIndex: sites.count - 1))
    }

    mutating func reject() {
        entries.append(Entry(fields: StatsLine(), range: 0..<0, epoch: 0, policyIndex: 0, siteIndex: -1))
    }
}
