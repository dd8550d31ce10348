/// Aggregates one input's records per site and day, in the same pass that anonymizes them. It sees the
/// parsed record before any field is rewritten, but keeps no address: a visitor is a keyed pseudonym of
/// address and user agent under the day's key, and paths are normalized before they are kept.
public struct StatsCollector {
    private struct DayKey: Hashable {
        var site: String
        var day: Int64
    }

    private let policies: [Policy]
    private let pool: PseudonymizerPool
    private let normalizer: PathNormalizer
    private let timeZone: StatsTimeZone
    private var days: [DayKey: DayStats] = [:]
    private var firstKey: DayKey?
    private var lastKey: DayKey?
    private var failuresBeforeFirstRecord = 0
    private var dayNames: [Int64: String] = [:]
    /// Visitor codes and agent families by a hash under this process's random seed: nothing here outlives the run.
    private var visitorCache: [Int: UInt64] = [:]
    private var familyCache: [Int: UserAgentFamily] = [:]
    private var scratch: [UInt8] = []
    /// Counter rules per policy.
    private let counters: [[CounterRule]]

    public init(policies: [Policy], pool: PseudonymizerPool, timeZone: StatsTimeZone = .utc) {
        self.policies = policies
        self.pool = pool
        self.timeZone = timeZone
        normalizer = PathNormalizer(policies: policies)
        counters = policies.map(\.counters)
    }

    /// Counts one parsed record under `site`.
    public mutating func add(_ record: LogRecord, line: UnsafeRawBufferPointer, policyIndex: Int, epoch: Int64, site: String) throws {
        let local = epoch + timeZone.offset(at: epoch)
        let dayNumber = local >= 0 ? local / 86_400 : (local - 86_399) / 86_400
        let key = DayKey(site: site, day: dayNumber)
        if days[key] == nil {
            let name = dayNames[dayNumber] ?? Timestamp.day(dayNumber * 86_400)
            dayNames[dayNumber] = name
            days[key] = DayStats(site: site, day: name, policy: policies[policyIndex])
        }
        if firstKey == nil { firstKey = key }
        lastKey = key
        let bytes = record.responseBytes ?? 0
        let visitor = try visitorCode(record, line: line, policyIndex: policyIndex, day: dayNumber)
        let target = record.target.bytes(in: line)
        let path: String
        if record.requestMalformed || !record.target.isPresent {
            path = "(malformed request)"
        } else {
            path = String(decoding: normalizer.normalize(target, policyIndex: policyIndex), as: UTF8.self)
        }
        let family = agentFamily(record.userAgent.bytes(in: line))
        let method = record.method.isPresent ? String(decoding: record.method.bytes(in: line), as: UTF8.self) : "-"
        let hour = Int((local - dayNumber * 86_400) / 3600)
        let referrer = record.referrer.isPresent ? PathNormalizer.referrerDomain(record.referrer.bytes(in: line)) : nil
        let matchedCounters = counters[policyIndex].filter { counter in
            (counter.method == nil || counter.method == method) && !record.requestMalformed && record.target.isPresent
                && counter.path.identifierRanges(in: UnsafeRawBufferPointer(rebasing: target[..<(target.firstIndex(of: UInt8(ascii: "?")) ?? target.count)])) != nil
        }

        days[key]!.requests += 1
        days[key]!.bytes += bytes
        if !record.requestMalformed && !StaticFiles.isStatic(path) { days[key]!.pageViews += 1 }
        days[key]!.see(visitor, at: epoch)
        days[key]!.count(.status, String(record.status), bytes: bytes, visitor: nil)
        days[key]!.count(.method, method, bytes: bytes, visitor: nil)
        days[key]!.count(.hour, hour < 10 ? "0\(hour)" : "\(hour)", bytes: bytes, visitor: nil)
        days[key]!.count(.path, path, bytes: bytes, visitor: visitor)
        if record.status == 404 { days[key]!.count(.notFound, path, bytes: bytes, visitor: visitor) }
        if let referrer { days[key]!.count(.referrerDomain, referrer, bytes: bytes, visitor: visitor) }
        days[key]!.count(.browser, family.browser, bytes: bytes, visitor: visitor)
        days[key]!.count(.operatingSystem, family.operatingSystem, bytes: bytes, visitor: visitor)
        days[key]!.count(.crawler, family.crawler ? "yes" : "no", bytes: bytes, visitor: nil)
        for counter in matchedCounters { days[key]!.count(.counter, counter.name, bytes: bytes, visitor: nil) }
    }

    /// A line that did not parse: counted as a failure of the site and day of the record before it
    /// (or, before any record, of the first one).
    public mutating func reject() {
        if let lastKey { days[lastKey]!.failed += 1 } else { failuresBeforeFirstRecord += 1 }
    }

    /// The days this input contributed, visits closed and visitor sets counted.
    public func finished(unattributedSite: String) -> [DayStats] {
        var result = days
        if failuresBeforeFirstRecord > 0 {
            if let firstKey {
                result[firstKey]!.failed += failuresBeforeFirstRecord
            } else {
                var unknown = DayStats(site: unattributedSite, day: "(unknown)", policy: policies[policies.count - 1])
                unknown.failed = failuresBeforeFirstRecord
                result[DayKey(site: unattributedSite, day: Int64.min)] = unknown
            }
        }
        return result.values.map { day in
            var day = day
            day.finish()
            return day
        }.sorted { ($0.site, $0.day) < ($1.site, $1.day) }
    }

    /// The visitor's code under the key of the stats day (the local day: a visitor must not change identity at
    /// UTC midnight when days are counted in another zone).
    private mutating func visitorCode(_ record: LogRecord, line: UnsafeRawBufferPointer, policyIndex: Int, day: Int64) throws -> UInt64 {
        let epoch = day * 86_400
        let address = record.clientAddress.bytes(in: line)
        let agent = record.userAgent.bytes(in: line)
        var hasher = Hasher()
        hasher.combine(bytes: address)
        hasher.combine(0 as UInt8)
        hasher.combine(bytes: agent)
        hasher.combine(policyIndex)
        hasher.combine(day)
        let cacheKey = hasher.finalize()
        if let known = visitorCache[cacheKey] { return known }
        scratch.removeAll(keepingCapacity: true)
        if var parsed = IPAddress.parse(address) {
            if let v4 = parsed.mappedIPv4 { parsed = .v4(v4) }
            parsed.append(to: &scratch)
        } else {
            scratch.append(contentsOf: address.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 })
        }
        scratch.append(0)
        scratch.appendBytes(agent)
        let policy = policies[policyIndex]
        let code = try scratch.withUnsafeBytes {
            try pool.code(policyIndex: policyIndex, policyID: policy.id, periodDays: policy.keyPeriodDays, epoch: epoch,
                          value: $0, domain: .visitor)
        }
        if visitorCache.count >= 1 << 17 { visitorCache.removeAll(keepingCapacity: true) }
        visitorCache[cacheKey] = code
        return code
    }

    private mutating func agentFamily(_ agent: UnsafeRawBufferPointer) -> UserAgentFamily {
        var hasher = Hasher()
        hasher.combine(bytes: agent)
        let cacheKey = hasher.finalize()
        if let known = familyCache[cacheKey] { return known }
        let family = UserAgentFamily.classify(agent)
        if familyCache.count >= 1 << 14 { familyCache.removeAll(keepingCapacity: true) }
        familyCache[cacheKey] = family
        return family
    }
}
