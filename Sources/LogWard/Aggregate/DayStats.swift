/// One site's numbers for one day (in the stats time zone), from one input file.
public struct DayStats: Sendable {
    public struct Row: Sendable, Equatable {
        public var hits = 0
        public var bytes: Int64 = 0
        /// Distinct visitors within this file; nil for dimensions that keep no visitor count.
        public var visitors: Int?
    }

    public static let visitGap: Int64 = 30 * 60

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
    var rowVisitors: [BreakdownDimension: [String: Set<UInt64>]] = [:]
    private var openVisits: [UInt64: (start: Int64, last: Int64)] = [:]

    init(site: String, day: String, policy: Policy) {
        self.site = site
        self.day = day
        policyID = policy.id
        audience = policy.audience
        kAnonymity = policy.kAnonymity
    }

    mutating func count(_ dimension: BreakdownDimension, _ key: String, bytes: Int64, visitor: UInt64?) {
        rows[dimension, default: [:]][key, default: Row()].hits += 1
        rows[dimension, default: [:]][key, default: Row()].bytes += bytes
        if let visitor { rowVisitors[dimension, default: [:]][key, default: []].insert(visitor) }
    }

    /// A visit is a visitor's requests with gaps under 30 minutes; its duration runs from first to last request.
    mutating func see(_ visitor: UInt64, at time: Int64) {
        visitors.insert(visitor)
        if let open = openVisits[visitor], time >= open.start - Self.visitGap, time <= open.last + Self.visitGap {
            openVisits[visitor] = (min(open.start, time), max(open.last, time))
            return
        }
        if let open = openVisits[visitor] { close(open) }
        openVisits[visitor] = (time, time)
    }

    private mutating func close(_ visit: (start: Int64, last: Int64)) {
        visits += 1
        visitSeconds += visit.last - visit.start
    }

    /// Closes open visits and turns visitor sets into counts.
    mutating func finish() {
        for visit in openVisits.values { close(visit) }
        openVisits = [:]
        for (dimension, keyed) in rowVisitors {
            for (key, set) in keyed { rows[dimension]?[key]?.visitors = set.count }
        }
        rowVisitors = [:]
    }
}
