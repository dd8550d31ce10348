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
    /// Keyed visitor pseudonyms seen this day (address + user agent under the day's key).
    public internal(set) var visitors = Set<UInt64>()
    public internal(set) var rows: [BreakdownDimension: [String: Row]] = [:]
}

/// Accumulates one `DayStats` line by line. A class, so the collector finds it once per line and
/// mutates it in place.
final class DayAccumulator {
    static let visitGap: Int64 = 30 * 60

    /// A breakdown row: its dimension and the interned id of its key (see `KeyNames`), so a lookup hashes two
    /// integers instead of a string.
    struct RowKey: Hashable {
        var dimension: BreakdownDimension
        var key: Int

        func hash(into hasher: inout Hasher) {
            hasher.combine(key &* 16 &+ dimension.index)
        }
    }

    struct RowCounts {
        var hits = 0
        var bytes: Int64 = 0
        var visitors: Set<UInt64>?
    }

    var stats: DayStats
    private var rows: [RowKey: RowCounts] = [:]
    private var openVisits: [UInt64: (start: Int64, last: Int64)] = [:]

    init(site: String, day: String, policy: Policy) {
        stats = DayStats(site: site, day: day, policyID: policy.id, audience: policy.audience, kAnonymity: policy.kAnonymity)
    }

    func count(_ dimension: BreakdownDimension, _ key: Int, bytes: Int64, visitor: UInt64?) {
        // One hash lookup: the row is updated in place through a single access.
        Self.add(&rows[RowKey(dimension: dimension, key: key), default: RowCounts(visitors: visitor == nil ? nil : [])],
                 bytes: bytes, visitor: visitor)
    }

    @inline(__always)
    private static func add(_ row: inout RowCounts, bytes: Int64, visitor: UInt64?) {
        row.hits += 1
        row.bytes += bytes
        if let visitor { row.visitors?.insert(visitor) }
    }

    /// A visit is a visitor's requests with gaps under 30 minutes; its duration runs from first to last request.
    func see(_ visitor: UInt64, at time: Int64) {
        stats.visitors.insert(visitor)
        if let open = openVisits[visitor], time >= open.start - Self.visitGap, time <= open.last + Self.visitGap {
            openVisits[visitor] = (min(open.start, time), max(open.last, time))
            return
        }
        if let open = openVisits[visitor] { close(open) }
        openVisits[visitor] = (time, time)
    }

    private func close(_ visit: (start: Int64, last: Int64)) {
        stats.visits += 1
        stats.visitSeconds += visit.last - visit.start
    }

    /// Closes open visits and turns visitor sets into counts; `names` gives each key id its text.
    func finished(names: [String]) -> DayStats {
        var result = stats
        for visit in openVisits.values {
            result.visits += 1
            result.visitSeconds += visit.last - visit.start
        }
        for (rowKey, counts) in rows {
            result.rows[rowKey.dimension, default: [:]][names[rowKey.key]] = DayStats.Row(hits: counts.hits, bytes: counts.bytes,
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
