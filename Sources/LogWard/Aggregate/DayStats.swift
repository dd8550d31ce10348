/// One site's numbers for one day (in the stats time zone), from one input file.
public struct DayStats: Sendable {
    public struct Row: Sendable, Equatable {
        public var hits = 0
        public var bytes: Int64 = 0
        /// Distinct visitors within this file; nil for dimensions that keep no visitor count.
        public var visitors: Int?
    }

    public var site: String
    public var day: String
    public var policyID: String
    public var audience: Policy.Audience
    public var kAnonymity: Int
    public var requests = 0
    public var failed = 0
    public var bytes: Int64 = 0
    public var pageViews = 0
    public var visits = 0
    public var visitSeconds: Int64 = 0
    /// Keyed visitor pseudonyms seen this day (address + user agent under the day's key), sorted.
    public internal(set) var visitors: [UInt64] = []
    public internal(set) var rows: [BreakdownDimension: [String: Row]] = [:]
}

/// Accumulates one `DayStats` line by line. A class, so the collector finds it once per line and
/// mutates it in place. Everything in it merges exactly with another accumulator of the same site and day
/// (parallel workers each see part of a file): counts add, visitor sets unite, visits merge by interval.
final class DayAccumulator {
    static let visitGap: Int64 = 30 * 60

    /// A breakdown row's map key: the interned id of its key (see `KeyNames`) and its dimension in the low 4 bits.
    @inline(__always)
    static func rowKey(_ dimension: BreakdownDimension, _ key: Int) -> UInt64 { UInt64(key) << 4 | UInt64(dimension.index) }

    struct RowCounts {
        var hits = 0
        var bytes: Int64 = 0
        var visitors: CodeSet?
    }

    /// A visitor's requests as intervals: the current one inline, earlier ones (after a 30-minute gap) aside.
    struct Visits {
        var start: Int64
        var last: Int64
        var earlier: [ClosedRange<Int64>]?

        var all: [ClosedRange<Int64>] { (earlier ?? []) + [start...last] }
    }

    var stats: DayStats
    private(set) var rows = CodeMap<RowCounts>(minimumCapacity: 64)
    /// Per visitor code, its visits; the day's distinct visitors are these keys.
    private(set) var visits = CodeMap<Visits>(minimumCapacity: 256)

    init(site: String, day: String, policy: Policy) {
        stats = DayStats(site: site, day: day, policyID: policy.id, audience: policy.audience, kAnonymity: policy.kAnonymity)
    }

    /// An empty accumulator of the same site, day and policy.
    init(emptyLike other: DayAccumulator) {
        stats = DayStats(site: other.stats.site, day: other.stats.day, policyID: other.stats.policyID,
                         audience: other.stats.audience, kAnonymity: other.stats.kAnonymity)
    }

    @inline(__always)
    func count(_ dimension: BreakdownDimension, _ key: Int, bytes: Int64, visitor: UInt64?) {
        rows.update(Self.rowKey(dimension, key), orInsert: { RowCounts(visitors: visitor == nil ? nil : CodeSet()) }) { row in
            row.hits += 1
            row.bytes += bytes
            if let visitor { row.visitors?.insert(visitor) }
        }
    }

    @inline(__always)
    func see(_ visitor: UInt64, at time: Int64) {
        visits.update(visitor, orInsert: { Visits(start: time, last: time, earlier: nil) }) { current in
            guard time > current.last + Self.visitGap || time < current.start - Self.visitGap else {
                current.start = min(current.start, time)
                current.last = max(current.last, time)
                return
            }
            current.earlier = (current.earlier ?? []) + [current.start...current.last]
            current.start = time
            current.last = time
        }
    }

    /// Adds another accumulator of the same site and day; `keyMap` turns its key ids into this one's.
    func absorb(_ other: DayAccumulator, keyMap: [Int]) {
        stats.requests += other.stats.requests
        stats.failed += other.stats.failed
        stats.bytes += other.stats.bytes
        stats.pageViews += other.stats.pageViews
        other.rows.forEach { key, counts in
            let dimension = BreakdownDimension.allCases[Int(key & 15)]
            rows.update(Self.rowKey(dimension, keyMap[Int(key >> 4)]),
                        orInsert: { RowCounts(visitors: counts.visitors == nil ? nil : CodeSet()) }) { mine in
                mine.hits += counts.hits
                mine.bytes += counts.bytes
                if let theirs = counts.visitors { mine.visitors?.formUnion(theirs) }
            }
        }
        other.visits.forEach { visitor, theirs in
            var inserted = false
            visits.update(visitor, orInsert: { inserted = true; return theirs }) { mine in
                guard !inserted else { return }
                mine.earlier = (mine.earlier ?? []) + theirs.all
            }
        }
    }

    /// Visits per visitor: intervals sorted and joined where less than 30 minutes apart.
    private static func countVisits(_ entry: Visits) -> (count: Int, seconds: Int64) {
        guard let earlier = entry.earlier, !earlier.isEmpty else { return (1, entry.last - entry.start) }
        let sorted = (earlier + [entry.start...entry.last]).sorted { $0.lowerBound < $1.lowerBound }
        var count = 0
        var seconds: Int64 = 0
        var current = sorted[0]
        for range in sorted.dropFirst() {
            if range.lowerBound <= current.upperBound + visitGap {
                current = current.lowerBound...max(current.upperBound, range.upperBound)
            } else {
                count += 1
                seconds += current.upperBound - current.lowerBound
                current = range
            }
        }
        return (count + 1, seconds + current.upperBound - current.lowerBound)
    }

    /// Closes visits and turns visitor sets into counts; `names` gives each key id its text.
    func finished(names: [String]) -> DayStats {
        var result = stats
        var visitors: [UInt64] = []
        visitors.reserveCapacity(visits.count)
        visits.forEach { visitor, entry in
            let (count, seconds) = Self.countVisits(entry)
            result.visits += count
            result.visitSeconds += seconds
            visitors.append(visitor)
        }
        result.visitors = visitors.sorted()
        rows.forEach { key, counts in
            let dimension = BreakdownDimension.allCases[Int(key & 15)]
            result.rows[dimension, default: [:]][names[Int(key >> 4)]] = DayStats.Row(hits: counts.hits, bytes: counts.bytes,
                                                                                visitors: counts.visitors?.count)
        }
        return result
    }
}
/// Breakdown keys (paths, status codes, browser names...) interned once per input: rows refer to them by id.
struct KeyNames {
    private(set) var names: [String] = []
    private var ids: [String: Int] = [:]
    private var byteIDs: [[UInt8]: Int] = [:]

    mutating func id(_ name: String) -> Int {
        if let id = ids[name] { return id }
        names.append(name)
        ids[name] = names.count - 1
        return names.count - 1
    }

    mutating func id(bytes: [UInt8]) -> Int {
        if let id = byteIDs[bytes] { return id }
        let id = self.id(String(decoding: bytes, as: UTF8.self))
        byteIDs[bytes] = id
        return id
    }
}
