/// Accumulates one `DayStats` line by line. A class, so the collector finds it once per line and
/// mutates it in place.
final class DayAccumulator {
    static let visitGap: Int64 = 30 * 60

    /// A breakdown row's map key: the interned id of its key (see `KeyNames`) and its dimension in the low 4 bits.
    @inline(__always)
    static func rowKey(_ dimension: BreakdownDimension, _ key: Int) -> UInt64 { UInt64(key) << 4 | UInt64(dimension.index) }

    struct RowCounts {
        var hits = 0
        var bytes: Int64 = 0
        /// For one of the day's first 64 rows with distinct visitors: its bit in each visitor's `rows` mask.
        var bit = -1
        /// For the rows after those: the set of their visitors (by visitor key).
        var visitors: CodeSet?
    }

    /// A visitor's keyed pseudonym and current visit, in seconds from the accumulator's base instant (small: a busy
    /// day has hundreds of thousands), and the ids of its browser and system (one user agent, so one of each).
    /// Earlier visits, after a 30-minute gap, are kept aside in `earlierVisits`: most visitors make one.
    struct Visits {
        /// The visitor's code (HMAC under the day's key), computed once, when the day first sees the visitor.
        var code: UInt64
        var start: Int32
        var last: Int32
        var browser: Int32
        var system: Int32
        /// The bits of the rows (see `RowCounts.bit`) this visitor was counted in.
        var rows: UInt64 = 0
        /// Whether `earlierVisits` has closed visits of this visitor: most have none, and the day's end need not
        /// look each one up (in the same bytes as the entry's padding: no memory added).
        var hasEarlier = false
    }

    // One worker owns an accumulator and no method touches a property inside its own update of it, so the
    // dynamic exclusivity checks on these per-line properties (about 7% of a statistics run) are left out.
    @exclusivity(unchecked) var stats: DayStats
    @exclusivity(unchecked) private(set) var rows = CodeMap<RowCounts>(minimumCapacity: 64)
    /// Per visitor, its code and visits; the day's distinct visitors are these entries. Keyed by the collector's
    /// in-memory visitor key (a seeded hash of exactly what the code is the HMAC of), so a line finds its visitor
    /// without a pseudonym: the HMAC is computed once per visitor and day, in `see`.
    @exclusivity(unchecked) private(set) var visits = CodeMap<Visits>(minimumCapacity: 256)
    /// Closed visits of visitors who came back after a gap, as absolute intervals.
    private(set) var earlierVisits = CodeMap<[ClosedRange<Int64>]>()
    /// The instant visit times count from (set by the first request); times of one day fit 32 bits.
    private var base: Int64?
    /// Bits given to rows so far (see `RowCounts.bit`). The day's first rows (top paths, referrers) are nearly
    /// all its requests, and a bit in the visitor's mask costs no set lookup.
    private var bitsGiven = 0

    /// `expectedVisitors` sizes the visits map (the site's previous day is the best guess): a busy day's map
    /// otherwise grows, and is copied, a dozen times.
    init(site: String, day: String, policy: Policy, expectedVisitors: Int = 0) {
        stats = DayStats(site: site, day: day, policyID: policy.id, audience: policy.audience, kAnonymity: policy.kAnonymity)
        // The capacity growth would reach for that many (a map grows past three quarters full), not more.
        if expectedVisitors > 256 { visits = CodeMap(minimumCapacity: expectedVisitors * 2 / 3) }
        plainRows = .allocate(capacity: BreakdownDimension.allCases.count * Self.plainKeyLimit)
        plainRows.initialize(repeating: (0, 0))
    }

    deinit {
        plainRows.deallocate()
    }

    /// Distinct visitors so far.
    var visitorCount: Int { visits.count }

    /// Response times of the day and of each path (by key id), for formats that log them.
    private var dayTimes: ResponseTimes?
    private var pathTimes: [Int: ResponseTimes] = [:]

    func time(_ microseconds: Int64, path: Int) {
        if dayTimes == nil { dayTimes = ResponseTimes() }
        dayTimes!.add(microseconds: microseconds)
        pathTimes[path, default: ResponseTimes()].add(microseconds: microseconds)
    }

    /// Rows without a visitor set (status, method, hour, crawler, counters, browser, system) whose key id is small
    /// (interned early, as these names are): counted in flat memory, no hashing; moved into `rows` before reading.
    /// Plain memory rather than an array: six rows a line, two updates each, each checked the array's uniqueness.
    private let plainRows: UnsafeMutableBufferPointer<(hits: Int, bytes: Int64)>
    private static let plainKeyLimit = 256

    /// Counts a request in a row. For a row with distinct visitors, returns the row's bit for `see` to set in the
    /// visitor's mask, or 0 when the row keeps a set (the visitor is added to it here).
    @inline(__always) @discardableResult
    func count(_ dimension: BreakdownDimension, _ key: Int, bytes: Int64, visitor: UInt64?) -> UInt64 {
        if visitor == nil && key < Self.plainKeyLimit {
            let index = dimension.index &* Self.plainKeyLimit &+ key
            plainRows[index].hits &+= 1
            plainRows[index].bytes &+= bytes
            return 0
        }
        return rows.update(Self.rowKey(dimension, key), orInsert: { newRow(withVisitors: visitor != nil) }) { row in
            row.hits += 1
            row.bytes += bytes
            guard let visitor else { return 0 }
            if row.bit >= 0 { return 1 << UInt64(row.bit) }
            row.visitors?.insert(visitor)
            return 0
        }
    }

    private func newRow(withVisitors: Bool) -> RowCounts {
        guard withVisitors else { return RowCounts() }
        guard bitsGiven < 64 else { return RowCounts(visitors: CodeSet()) }
        defer { bitsGiven += 1 }
        return RowCounts(bit: bitsGiven)
    }

    /// Asks for the visitor's entry in `visits` ahead of `see`.
    @inline(__always)
    func prefetchVisits(of visitor: UInt64) { visits.prefetch(visitor) }

    /// Counts a request of `visitor` (a visitor key) in its visits, and in the rows whose bits are in `rowBits`
    /// (from `count`). Returns true when the day had not seen the visitor: its code is then given to `setCode`.
    @inline(__always)
    func see(_ visitor: UInt64, at time: Int64, browser: Int, system: Int, rowBits: UInt64) -> Bool {
        let base = self.base ?? time
        self.base = base
        let offset = Int32(clamping: time - base)
        var closed: ClosedRange<Int64>?
        var isNew = false
        visits.update(visitor, orInsert: {
            isNew = true
            return Visits(code: 0, start: offset, last: offset, browser: Int32(browser), system: Int32(system))
        }) { current in
            current.rows |= rowBits
            guard offset > current.last + Int32(Self.visitGap) || offset < current.start - Int32(Self.visitGap) else {
                current.start = min(current.start, offset)
                current.last = max(current.last, offset)
                return
            }
            closed = (base + Int64(current.start))...(base + Int64(current.last))
            current.hasEarlier = true
            current.start = offset
            current.last = offset
        }
        if let closed { earlierVisits.update(visitor, orInsert: { [] }) { $0.append(closed) } }
        return isNew
    }

    /// Sets the code of a visitor `see` has just met for the first time.
    func setCode(of visitor: UInt64, to code: UInt64) {
        visits.update(visitor, orInsert: { preconditionFailure("setCode before see") }) { $0.code = code }
    }

    /// A visitor's visits as absolute intervals, the current one last.
    private func intervals(_ visitor: UInt64, _ entry: Visits) -> [ClosedRange<Int64>] {
        let base = self.base ?? 0
        return (earlierVisits[visitor] ?? []) + [(base + Int64(entry.start))...(base + Int64(entry.last))]
    }

    /// Moves the flat-array rows into `rows`, so everything reading rows sees them all.
    private func settlePlainRows() {
        for (index, counts) in plainRows.enumerated() where counts.hits > 0 {
            let dimension = BreakdownDimension.allCases[index / Self.plainKeyLimit]
            rows.update(Self.rowKey(dimension, index % Self.plainKeyLimit), orInsert: { RowCounts(visitors: nil) }) { row in
                row.hits += counts.hits
                row.bytes += counts.bytes
            }
        }
        plainRows.update(repeating: (0, 0))
    }

    /// Visits per visitor: intervals sorted and joined where less than 30 minutes apart.
    private func countVisits(_ visitor: UInt64, _ entry: Visits) -> (count: Int, seconds: Int64) {
        guard entry.hasEarlier else { return (1, Int64(entry.last) - Int64(entry.start)) }
        let sorted = intervals(visitor, entry).sorted { $0.lowerBound < $1.lowerBound }
        var count = 0
        var seconds: Int64 = 0
        var current = sorted[0]
        for range in sorted.dropFirst() {
            if range.lowerBound <= current.upperBound + Self.visitGap {
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
        settlePlainRows()
        var result = stats
        var visitors: [UInt64] = []
        visitors.reserveCapacity(visits.count)
        // Each row's visitors as codes: from the visitors' row bits, their browser and system, or the row's own set.
        var codesByBit = [[UInt64]](repeating: [], count: bitsGiven)
        var familyCodes = CodeMap<[UInt64]>()
        visits.forEach { visitor, entry in
            let (count, seconds) = countVisits(visitor, entry)
            result.visits += count
            result.visitSeconds += seconds
            visitors.append(entry.code)
            var bits = entry.rows
            while bits != 0 {
                codesByBit[bits.trailingZeroBitCount].append(entry.code)
                bits &= bits - 1
            }
            familyCodes.update(Self.rowKey(.browser, Int(entry.browser)), orInsert: { [] }) { $0.append(entry.code) }
            familyCodes.update(Self.rowKey(.operatingSystem, Int(entry.system)), orInsert: { [] }) { $0.append(entry.code) }
        }
        result.visitors = visitors.sorted()
        rows.forEach { key, counts in
            let dimension = BreakdownDimension.allCases[Int(key & 15)]
            var codes: [UInt64]?
            if dimension == .browser || dimension == .operatingSystem {
                codes = familyCodes[key] ?? []
            } else if counts.bit >= 0 {
                codes = codesByBit[counts.bit]
            } else if let set = counts.visitors {
                var members: [UInt64] = []
                members.reserveCapacity(set.count)
                set.forEach { members.append(visits[$0]?.code ?? 0) }
                codes = members
            }
            codes?.sort()
            result.rows[dimension, default: [:]][names[Int(key >> 4)]] = DayStats.Row(
                hits: counts.hits, bytes: counts.bytes, visitors: codes?.count, visitorCodes: codes,
                responseTimes: dimension == .path ? pathTimes[Int(key >> 4)] : nil)
        }
        result.responseTimes = dayTimes
        return result
    }
}
