import CMemory
import Dispatch
import LogWardAnonymize

/// Aggregates one input's records per site and day, in the same pass that anonymizes them. It sees the
/// parsed record before any field is rewritten, but keeps no address: a visitor is a keyed pseudonym of
/// address and user agent under the day's key, and paths are normalized before they are kept.
public struct StatsCollector {
    /// A site's day under one policy version: a day that spans a version change is two, each labelled and
    /// k-anonymized by the version that governed its lines.
    struct DayKey: Hashable, Sendable {
        var site: String
        var day: Int64
        var policy: Int
    }

    private let policies: [Policy]
    private let pool: PseudonymizerPool
    private let normalizer: PathNormalizer
    private let timeZone: StatsTimeZone
    private var days: [DayKey: DayAccumulator] = [:]
    /// Lines come in runs of one site and day: the last accumulator is found without hashing.
    private var lastAccumulator: DayAccumulator?
    private var lastSite = ""
    private var lastDay = Int64.min
    private var lastPolicy = -1
    private var names = KeyNames()
    /// Interned ids of status codes by code (the parser accepts 100...999), -1 until seen: no hashing per line.
    private var statusIDs = [Int](repeating: -1, count: 1000)
    private var methodIDs: [[UInt8]: Int] = [:]
    private var recentMethods: [(method: [UInt8], id: Int)] = []
    private let hourIDs: [Int]
    private let malformedID: Int
    private let crawlerIDs: (no: Int, yes: Int)
    /// Per policy, the interned id of each counter's name.
    private let counterIDs: [[Int]]
    /// Agent families by agent hash, direct-mapped (a miss only classifies the agent again).
    private var familyCache = [(tag: UInt64, browser: Int, system: Int, crawler: Bool)](repeating: (0, 0, 0, false), count: 1 << 14)
    private var firstKey: DayKey?
    private var lastKey: DayKey?
    private var failuresBeforeFirstRecord = 0
    private var dayNames: [Int64: String] = [:]
    /// Normalized path ids (and whether static) by path hash, and referrer-domain ids by referrer hash:
    /// requests repeat their targets, so most lines skip normalizing and interning.
    private var pathCache = [(tag: UInt64, id: Int, isStatic: Bool)](repeating: (0, 0, false), count: 1 << 15)
    private var referrerCache = [(tag: UInt64, id: Int)](repeating: (0, -1), count: 1 << 14)
    private var scratch: [UInt8] = []
    /// Counter rules per policy.
    private let counters: [[CounterRule]]
    /// Per policy, whether it has counters: tested on every line without touching (and retaining) its rules.
    private let hasCounters: [Bool]
    /// Per policy, what a visitor code needs: no `Policy` value is copied on the per-visitor path.
    private let policyIDs: [String]
    private let periodDays: [Int]

    /// Where days the input has moved past are set aside (on disk, by the store they are for), so statistics
    /// memory holds the days still open, not every day of a file.
    private let spill: (any DaySpill)?

    public init(policies: [Policy], pool: PseudonymizerPool, timeZone: StatsTimeZone = .utc, spill: (any DaySpill)? = nil) {
        self.init(compiled: CompiledPolicies(policies), pool: pool, timeZone: timeZone, spill: spill)
    }

    public init(compiled: CompiledPolicies, pool: PseudonymizerPool, timeZone: StatsTimeZone = .utc, spill: (any DaySpill)? = nil) {
        let policies = compiled.policies
        self.spill = spill
        self.policies = policies
        self.pool = pool
        self.timeZone = timeZone
        normalizer = PathNormalizer(compiled: compiled)
        counters = compiled.counters
        hasCounters = compiled.hasCounters
        policyIDs = compiled.ids
        periodDays = compiled.periodDays
        var names = KeyNames()
        hourIDs = (0..<24).map { names.id($0 < 10 ? "0\($0)" : "\($0)") }
        malformedID = names.id("(malformed request)")
        crawlerIDs = (names.id("no"), names.id("yes"))
        counterIDs = policies.map { $0.counters.map { names.id($0.name) } }
        self.names = names
    }

    /// Counts one parsed record under `site`.
    package mutating func add(_ record: LogRecord, line: Span<UInt8>, policyIndex: Int, epoch: Int64, site: String) throws {
        try add(StatsLine(record), line: line, policyIndex: policyIndex, epoch: epoch, site: site)
    }

    /// What `add` hashes of a line to find it in the caches and the day's visitors. Worked out a few lines ahead
    /// by the aggregator, which asks for the slots meanwhile: a new visitor's slot is a miss to main memory, and
    /// waiting for it in line was a tenth of the aggregator's time.
    package struct LineKeys {
        var local: Int64
        var dayNumber: Int64
        /// Never 0, the empty tag.
        var agentHash: UInt64
        /// The visitor within the day (see `visitorKey`).
        var visitorKey: UInt64
        /// 0 for a line without a path (malformed request).
        var pathTag: UInt64
        var pathEnd: Int
    }

    /// The cache keys of a line, with its cache slots requested from memory.
    @inline(__always)
    package mutating func keys(_ record: StatsLine, line: Span<UInt8>, policyIndex: Int, epoch: Int64) -> LineKeys {
        let local = epoch + timeZone.offset(at: epoch)
        let dayNumber = local.floorDivided(by: 86_400)
        // One hash of the agent serves both the visitor key and the agent-family cache.
        let agentHash = FastHash.hash(line.extracting(record.userAgent.range)) | 1
        let visitorKey = FastHash.combine(FastHash.combine(Self.addressKey(record, line: line), agentHash),
                                          UInt64(bitPattern: dayNumber) &* 64 &+ UInt64(policyIndex))
        var pathTag: UInt64 = 0
        var pathEnd = 0
        if !record.requestMalformed && record.target.isPresent {
            // Keyed by the path alone: `/search?q=a` and `/search?q=b` are one row, found without normalizing.
            let target = line.extracting(record.target.range)
            pathEnd = PathNormalizer.pathEnd(target)
            pathTag = FastHash.combine(FastHash.hash(target.extracting(..<pathEnd)), UInt64(policyIndex)) | 1
            pathCache.withUnsafeBufferPointer { logward_prefetch($0.baseAddress! + Self.pathSlot(pathTag)) }
        }
        familyCache.withUnsafeBufferPointer { logward_prefetch($0.baseAddress! + Self.familySlot(agentHash)) }
        return LineKeys(local: local, dayNumber: dayNumber, agentHash: agentHash, visitorKey: visitorKey, pathTag: pathTag,
                        pathEnd: pathEnd)
    }

    /// Makes the accumulator of `site` on `day` the current one, creating it on the day's first line (then
    /// returns true).
    private mutating func switchDay(to dayNumber: Int64, site: String, policyIndex: Int) -> Bool {
        let key = DayKey(site: site, day: dayNumber, policy: policyIndex)
        var created = false
        if let known = days[key] {
            lastAccumulator = known
        } else {
            created = true
            let name = dayNames[dayNumber] ?? Timestamp.day(dayNumber * 86_400)
            dayNames[dayNumber] = name
            let previous = lastSite == site ? lastAccumulator?.visitorCount ?? 0 : 0
            let day = DayAccumulator(site: site, day: name, policy: policies[policyIndex], expectedVisitors: previous)
            days[key] = day
            lastAccumulator = day
        }
        if firstKey == nil { firstKey = key }
        lastKey = key
        lastSite = site
        lastDay = dayNumber
        lastPolicy = policyIndex
        return created
    }

    /// Days still held in memory (the rest were set aside).
    package var openDayCount: Int { days.count }

    /// Sets aside every day more than a whole day behind `dayNumber`: a log is written in time order, so no line
    /// of those days is still to come (one that does reopens its day, and the parts are merged when stored).
    private mutating func spillDays(before dayNumber: Int64) throws {
        guard let spill, days.keys.contains(where: { $0.day < dayNumber - 1 }) else { return }
        for key in days.keys.filter({ $0.day < dayNumber - 1 }).sorted(by: { ($0.day, $0.site, $0.policy) < ($1.day, $1.site, $1.policy) }) {
            var finished = days[key]!.finished(names: names.names)
            if key == firstKey && failuresBeforeFirstRecord > 0 {
                finished.failed += failuresBeforeFirstRecord
                failuresBeforeFirstRecord = 0
            }
            try spill.stage(finished)
            days[key] = nil
        }
    }

    /// The second step ahead of `add`, a few lines after `keys`: the line's entry in the day's visitors is
    /// requested from memory (the day of the line before is nearly always this line's day). Mutating only so that
    /// the aggregator calls it in place: a non-mutating call on its stored collector copies the whole collector.
    @inline(__always)
    package mutating func prepareVisitor(keys: LineKeys) {
        lastAccumulator?.prefetchVisits(of: keys.visitorKey)
    }

    /// The client address as a visitor's identity reads it: the parsed address (an IPv4-mapped one as IPv4), or
    /// the text with ASCII capitals folded (a host name; a bracketed IPv6 client has always been read as text).
    /// Both the visitor code's HMAC and the in-memory visitor key read it from here, so they cannot disagree.
    private enum VisitorAddress {
        case parsed(IPAddress)
        /// Where the client field's text is in the line.
        case text(Range<Int>)
    }

    @inline(__always)
    private static func visitorAddress(_ record: StatsLine, line: Span<UInt8>) -> VisitorAddress {
        let address = line.extracting(record.clientAddress.range)
        if address.first != UInt8(ascii: "["), let parsed = record.clientIP ?? IPAddress.parse(address) {
            return .parsed(parsed.mappedIPv4.map { .v4($0) } ?? parsed)
        }
        return .text(record.clientAddress.range)
    }

    @inline(__always)
    private static func foldsCase(_ byte: UInt8) -> UInt8 { byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte }

    /// A seeded hash of the address exactly as the visitor code's HMAC reads it (see `visitorAddress`): the same
    /// address written two ways (`::ffff:192.0.2.1`, `192.0.2.1`; `Host.Example`, `host.example`) is one key, as it
    /// is one code. Parsed addresses are hashed as numbers, not text.
    @inline(__always)
    static func addressKey(_ record: StatsLine, line: Span<UInt8>) -> UInt64 {
        switch visitorAddress(record, line: line) {
        case .parsed(.v4(let v4)):
            return FastHash.combine(UInt64(v4), 2)
        case .parsed(.v6(let high, let low)):
            return FastHash.combine(FastHash.combine(high, low), 3)
        case .text(let range):
            let text = line.extracting(range)
            guard text.contains(where: { foldsCase($0) != $0 }) else { return FastHash.combine(FastHash.hash(text), 4) }
            let folded = text.map(foldsCase)
            return FastHash.combine(FastHash.hash(folded.span), 4)
        }
    }

    @inline(__always) private static func pathSlot(_ tag: UInt64) -> Int { Int(truncatingIfNeeded: tag >> 49) }
    @inline(__always) private static func familySlot(_ hash: UInt64) -> Int { Int(truncatingIfNeeded: hash >> 50) }

    /// Counts one line's statistics fields under `site`.
    package mutating func add(_ record: StatsLine, line: Span<UInt8>, policyIndex: Int, epoch: Int64, site: String) throws {
        let keys = keys(record, line: line, policyIndex: policyIndex, epoch: epoch)
        try add(record, line: line, policyIndex: policyIndex, epoch: epoch, site: site, keys: keys)
    }

    /// Counts one line's statistics fields under `site`; `keys` are `keys(...)` of this line.
    package mutating func add(_ record: StatsLine, line: Span<UInt8>, policyIndex: Int, epoch: Int64, site: String,
                      keys: LineKeys) throws {
        let local = keys.local
        let dayNumber = keys.dayNumber
        if lastAccumulator == nil || lastDay != dayNumber || lastPolicy != policyIndex || lastSite != site {
            if switchDay(to: dayNumber, site: site, policyIndex: policyIndex) { try spillDays(before: dayNumber) }
        }
        let day = lastAccumulator!
        let bytes = max(record.responseBytes, 0)
        let agentHash = keys.agentHash
        let visitor = keys.visitorKey
        let target = line.extracting(record.target.range)
        let pathID: Int
        var isStaticPath = false
        if keys.pathTag == 0 {
            pathID = malformedID
        } else {
            let path = target.extracting(..<keys.pathEnd)
            let tag = keys.pathTag
            let slot = Self.pathSlot(tag)
            let cached = pathCache[slot]
            if cached.tag == tag {
                (pathID, isStaticPath) = (cached.id, cached.isStatic)
            } else {
                let normalized = normalizer.normalize(path, policyIndex: policyIndex)
                isStaticPath = StaticFiles.isStatic(normalized.span)
                pathID = names.id(bytes: normalized)
                pathCache[slot] = (tag, pathID, isStaticPath)
            }
        }
        let family = agentFamily(line.extracting(record.userAgent.range), hash: agentHash)
        let methodID = methodKey(line.extracting(record.method.range))
        let hour = Int((local - dayNumber * 86_400) / 3600)
        let referrerID = record.referrer.isPresent ? referrerKey(line.extracting(record.referrer.range)) : nil

        day.stats.requests += 1
        day.stats.bytes += bytes
        if !record.requestMalformed && !isStaticPath { day.stats.pageViews += 1 }
        day.count(.status, statusKey(record.status), bytes: bytes, visitor: nil)
        day.count(.method, methodID, bytes: bytes, visitor: nil)
        day.count(.hour, hourIDs[hour], bytes: bytes, visitor: nil)
        var rowBits = day.count(.path, pathID, bytes: bytes, visitor: visitor)
        if record.status == 404 { rowBits |= day.count(.notFound, pathID, bytes: bytes, visitor: visitor) }
        if let referrerID { rowBits |= day.count(.referrerDomain, referrerID, bytes: bytes, visitor: visitor) }
        if day.see(visitor, at: epoch, browser: family.browser, system: family.system, rowBits: rowBits) {
            day.setCode(of: visitor, to: try visitorCode(record, line: line, policyIndex: policyIndex, day: dayNumber))
        }
        // A visitor is an address with one user agent, so one browser and one system: their distinct visitors
        // are counted from the day's visitors when it finishes, with no set per row.
        day.count(.browser, family.browser, bytes: bytes, visitor: nil)
        day.count(.operatingSystem, family.system, bytes: bytes, visitor: nil)
        day.count(.crawler, family.crawler ? crawlerIDs.yes : crawlerIDs.no, bytes: bytes, visitor: nil)
        if record.responseMicroseconds >= 0 { day.time(record.responseMicroseconds, path: pathID) }
        if hasCounters[policyIndex] && !record.requestMalformed && record.target.isPresent {
            let rules = counters[policyIndex]
            let method = line.extracting(record.method.range)
            let pathOnly = target.extracting(..<(target.firstIndex(of: UInt8(ascii: "?")) ?? target.count))
            for (index, counter) in rules.enumerated()
            where (counter.method.map { method.elementsEqual($0.utf8) } ?? true) && counter.path.matches(pathOnly) {
                day.count(.counter, counterIDs[policyIndex][index], bytes: bytes, visitor: nil)
            }
        }
    }

    private mutating func referrerKey(_ referrer: Span<UInt8>) -> Int? {
        let tag = FastHash.hash(referrer) | 1
        let slot = Int(truncatingIfNeeded: tag >> 50)
        var id = referrerCache[slot].id
        if referrerCache[slot].tag != tag {
            id = PathNormalizer.referrerDomain(referrer).map { names.id($0) } ?? -1
            referrerCache[slot] = (tag, id)
        }
        return id < 0 ? nil : id
    }

    private mutating func statusKey(_ status: Int) -> Int {
        guard statusIDs.indices.contains(status) else { return names.id(String(status)) }
        if statusIDs[status] >= 0 { return statusIDs[status] }
        let id = names.id(String(status))
        statusIDs[status] = id
        return id
    }

    private mutating func methodKey(_ bytes: Span<UInt8>) -> Int {
        // A handful of methods make nearly every line: compared in place, nothing allocated per line.
        for (method, id) in recentMethods where bytes.elementsEqual(method) { return id }
        let key = Array(bytes)
        if let id = methodIDs[key] { return id }
        let id = names.id(bytes.isEmpty ? "-" : String(storedText: key))
        // Junk requests invent methods; only the first few are remembered.
        if methodIDs.count < 64 { methodIDs[key] = id }
        if recentMethods.count < 8 { recentMethods.append((key, id)) }
        return id
    }

    /// A line that did not parse: counted as a failure of the site and day of the record before it
    /// (or, before any record, of the first one).
    public mutating func reject() {
        if let lastKey { days[lastKey]!.stats.failed += 1 } else { failuresBeforeFirstRecord += 1 }
    }

    /// The days this input contributed, visits closed and visitor sets counted: it spends the collector (each
    /// day gives up its visitors as it is finished, see `DayAccumulator.finished`).
    public consuming func finished(unattributedSite: String) -> [DayStats] {
        // Days finish on every core (closing visits and sorting visitor sets is most of it).
        let keys = Array(days.keys)
        let accumulators = UncheckedBox(keys.map { days[$0]! })
        let slots = UnsafeMutableBufferPointer<DayStats?>.allocate(capacity: keys.count)
        slots.initialize(repeating: nil)
        defer {
            _ = slots.deinitialize()
            slots.deallocate()
        }
        let output = UncheckedBox(slots)
        let names = self.names.names
        DispatchQueue.concurrentPerform(iterations: keys.count) { index in
            output.value[index] = accumulators.value[index].finished(names: names)
        }
        var result: [DayKey: DayStats] = [:]
        for (index, key) in keys.enumerated() { result[key] = slots[index] }
        if failuresBeforeFirstRecord > 0 {
            if let firstKey {
                result[firstKey]!.failed += failuresBeforeFirstRecord
            } else {
                let policy = policies.first(where: \.isDefault) ?? policies[policies.count - 1]
                var unknown = DayStats(site: unattributedSite, day: "(unknown)", policyID: policy.id, audience: policy.audience,
                                       kAnonymity: policy.kAnonymity)
                unknown.failed = failuresBeforeFirstRecord
                result[DayKey(site: unattributedSite, day: Int64.min, policy: -1)] = unknown
            }
        }
        return result.values.sorted { ($0.site, $0.day, $0.policyID) < ($1.site, $1.day, $1.policyID) }
    }

    /// The visitor's code under the key of the stats day (the local day: a visitor must not change identity at
    /// UTC midnight when days are counted in another zone).
    private mutating func visitorCode(_ record: StatsLine, line: Span<UInt8>, policyIndex: Int, day: Int64) throws -> UInt64 {
        let epoch = day * 86_400
        let agent = line.extracting(record.userAgent.range)
        scratch.removeAll(keepingCapacity: true)
        scratch.append(Pseudonymizer.Domain.visitor.rawValue)
        switch Self.visitorAddress(record, line: line) {
        case .parsed(let address): address.append(to: &scratch)
        case .text(let range): scratch.append(contentsOf: line.extracting(range).map(Self.foldsCase))
        }
        scratch.append(0)
        scratch.appendBytes(agent)
        let code = try pool.code(policyIndex: policyIndex, policyID: policyIDs[policyIndex], periodDays: periodDays[policyIndex],
                                 epoch: epoch, prefixed: scratch.span)
        return code
    }

    private mutating func agentFamily(_ agent: Span<UInt8>, hash cacheKey: UInt64) -> (browser: Int, system: Int, crawler: Bool) {
        let slot = Self.familySlot(cacheKey)
        let cached = familyCache[slot]
        if cached.tag == cacheKey { return (cached.browser, cached.system, cached.crawler) }
        let family = UserAgentFamily.classify(agent)
        let ids = (names.id(family.browser), names.id(family.operatingSystem), family.crawler)
        familyCache[slot] = (cacheKey, ids.0, ids.1, ids.2)
        return ids
    }
}
