import LogWardAnonymize
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
        /// The index in `earlierVisits` of this visitor's latest closed visit, -1 for none (most visitors): in the
        /// bytes the entry pads to anyway, so no memory is added.
        var latestEarlier: Int32 = -1
    }

    /// A closed visit, in seconds from the base instant, and the index of the visitor's closed visit before it (-1
    /// for none): every visitor's earlier visits in one list, 12 bytes each. (A map of one array per visitor
    /// cost 60 bytes and an allocation a visit: 11 MiB of a busy day's 57.)
    struct EarlierVisit {
        var start: Int32
        var last: Int32
        var previous: Int32
    }

    // One worker owns an accumulator and no method touches a property inside its own update of it, so the
    // dynamic exclusivity checks on these per-line properties (about 7% of a statistics run) are left out.
    @exclusivity(unchecked) var stats: DayStats
    @exclusivity(unchecked) private(set) var rows = CodeMap<RowCounts>(minimumCapacity: 64)
    /// Per visitor, its code and visits; the day's distinct visitors are these entries. Keyed by the collector's
    /// in-memory visitor key (a seeded hash of exactly what the code is the HMAC of), so a line finds its visitor
    /// without a pseudonym: the HMAC is computed once per visitor and day, in `see`.
    @exclusivity(unchecked) private(set) var visits = CodeMap<Visits>(minimumCapacity: 256)
    /// Closed visits of visitors who came back after a gap (see `EarlierVisit`).
    private(set) var earlierVisits = ChunkedList<EarlierVisit>()
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
            current.latestEarlier = Int32(earlierVisits.append(EarlierVisit(start: current.start, last: current.last,
                                                                            previous: current.latestEarlier)))
            current.start = offset
            current.last = offset
        }
        return isNew
    }

    /// Sets the code of a visitor `see` has just met for the first time.
    func setCode(of visitor: UInt64, to code: UInt64) {
        visits.update(visitor, orInsert: { preconditionFailure("setCode before see") }) { $0.code = code }
    }

    /// A visitor's visits in seconds from the base instant, the current one first.
    private func intervals(_ entry: Visits) -> [ClosedRange<Int64>] {
        var result = [Int64(entry.start)...Int64(entry.last)]
        var index = entry.latestEarlier
        while index >= 0 {
            let visit = earlierVisits[Int(index)]
            result.append(Int64(visit.start)...Int64(visit.last))
            index = visit.previous
        }
        return result
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
    private func countVisits(_ entry: Visits) -> (count: Int, seconds: Int64) {
        guard entry.latestEarlier >= 0 else { return (1, Int64(entry.last) - Int64(entry.start)) }
        let sorted = intervals(entry).sorted { $0.lowerBound < $1.lowerBound }
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

    /// Closes visits and turns visitor sets into counts; `names` gives each key id its text. The accumulator is
    /// spent after it: its maps are let go as soon as what they hold is in the result. Each row's visitors come out as
    /// a `VisitorSubset` of the day's sorted codes (bits, or codes for a row with few), never as every row's codes
    /// at once.
    func finished(names: [String]) -> DayStats {
        settlePlainRows()
        var result = stats
        // The day's visitors sorted by code: a visitor's place in it is its bit in every row's bits.
        var order: [(code: UInt64, key: UInt64)] = []
        order.reserveCapacity(visits.count)
        visits.forEach { key, entry in
            let (count, seconds) = countVisits(entry)
            result.visits += count
            result.visitSeconds += seconds
            order.append((entry.code, key))
        }
        order.sort { $0.code < $1.code }
        let universe = VisitorSubset.Universe(codes: order.map(\.code))
        let words = (order.count + 63) / 64
        var bitsByRowBit = [[UInt64]](repeating: [], count: bitsGiven)
        var familyBits = CodeMap<[UInt64]>()
        for (place, visitor) in order.enumerated() {
            guard let entry = visits[visitor.key] else { continue }
            let word = place >> 6
            let bit = UInt64(1) << UInt64(place & 63)
            var rowBits = entry.rows
            while rowBits != 0 {
                let index = rowBits.trailingZeroBitCount
                if bitsByRowBit[index].isEmpty { bitsByRowBit[index] = [UInt64](repeating: 0, count: words) }
                bitsByRowBit[index][word] |= bit
                rowBits &= rowBits - 1
            }
            familyBits.update(Self.rowKey(.browser, Int(entry.browser)), orInsert: { [UInt64](repeating: 0, count: words) }) { $0[word] |= bit }
            familyBits.update(Self.rowKey(.operatingSystem, Int(entry.system)), orInsert: { [UInt64](repeating: 0, count: words) }) { $0[word] |= bit }
        }
        order = []
        // Rows that keep a set of visitor keys: each member's place found by its code, while the keys still lead to
        // codes.
        var setSubsets = CodeMap<VisitorSubset>()
        rows.forEach { key, counts in
            guard counts.bit < 0, let set = counts.visitors else { return }
            var bits = [UInt64](repeating: 0, count: words)
            set.forEach { visitor in
                guard let code = visits[visitor]?.code, let place = Self.place(of: code, in: universe.codes) else { return }
                bits[place >> 6] |= UInt64(1) << UInt64(place & 63)
            }
            setSubsets.update(key, orInsert: { VisitorSubset(universe: universe, bits: bits) }) { _ in }
        }
        visits = CodeMap()
        earlierVisits = ChunkedList()
        result.visitors = universe.codes
        rows.forEach { key, counts in
            let dimension = BreakdownDimension.allCases[Int(key & 15)]
            var subset: VisitorSubset?
            if dimension == .browser || dimension == .operatingSystem {
                subset = VisitorSubset(universe: universe, bits: familyBits[key] ?? [])
            } else if counts.bit >= 0 {
                subset = VisitorSubset(universe: universe, bits: bitsByRowBit[counts.bit])
            } else if counts.visitors != nil {
                subset = setSubsets[key]
            }
            result.rows[dimension, default: [:]][names[Int(key >> 4)]] = DayStats.Row(
                hits: counts.hits, bytes: counts.bytes, visitors: subset?.count, visitorSet: subset,
                responseTimes: dimension == .path ? pathTimes[Int(key >> 4)] : nil)
        }
        result.responseTimes = dayTimes
        rows = CodeMap(minimumCapacity: 64)
        return result
    }

    /// The index of `code` in sorted `codes` (the first, for a code two visitors share).
    private static func place(of code: UInt64, in codes: [UInt64]) -> Int? {
        var low = 0
        var high = codes.count
        while low < high {
            let middle = (low + high) / 2
            if codes[middle] < code { low = middle + 1 } else { high = middle }
        }
        return low < codes.count && codes[low] == code ? low : nil
    }
}
