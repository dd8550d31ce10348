import LogWardAnonymize
/// One site's numbers for one day (in the stats time zone), from one input file.
public struct DayStats: Sendable {
    public struct Row: Sendable, Equatable {
        public var hits = 0
        public var bytes: Int64 = 0
        /// Distinct visitors within this file; nil for dimensions that keep no visitor count.
        public var visitors: Int?
        /// Those visitors (see `visitorCodes`), held compactly.
        public var visitorSet: VisitorSubset?
        /// Response times of the row's requests (paths, when the format logs a time).
        public var responseTimes: ResponseTimes?

        /// Those visitors' codes, sorted: the store unites them with other files' of the same day, so a row's
        /// count is of distinct people over all the day's files, and an erased person's code can leave it.
        public var visitorCodes: [UInt64]? {
            get { visitorSet?.codes }
            set { visitorSet = newValue.map(VisitorSubset.init(codes:)) }
        }

        public init(hits: Int = 0, bytes: Int64 = 0, visitors: Int? = nil, visitorSet: VisitorSubset? = nil,
                    responseTimes: ResponseTimes? = nil) {
            self.hits = hits
            self.bytes = bytes
            self.visitors = visitors
            self.visitorSet = visitorSet
            self.responseTimes = responseTimes
        }

        public init(hits: Int, bytes: Int64, visitors: Int?, visitorCodes: [UInt64]?, responseTimes: ResponseTimes?) {
            self.init(hits: hits, bytes: bytes, visitors: visitors, visitorSet: visitorCodes.map(VisitorSubset.init(codes:)),
                      responseTimes: responseTimes)
        }
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

    package init(site: String, day: String, policyID: String, audience: Policy.Audience, kAnonymity: Int) {
        self.site = site
        self.day = day
        self.policyID = policyID
        self.audience = audience
        self.kAnonymity = kAnonymity
    }
    /// Keyed visitor pseudonyms seen this day (address + user agent under the day's key), sorted.
    public package(set) var visitors: [UInt64] = []
    public package(set) var rows: [BreakdownDimension: [String: Row]] = [:]
    /// Response times of the day's requests, when the format logs them.
    public package(set) var responseTimes: ResponseTimes?
}

extension DayStats {
    /// Adds another part of the same site-day (a day a late line reopened after it was set aside): counts add up,
    /// visitor codes are united. Visits add up too, so a visit split across the parts counts twice: only lines
    /// more than a day out of order make parts.
    package mutating func merge(_ other: DayStats) {
        requests += other.requests
        failed += other.failed
        bytes += other.bytes
        pageViews += other.pageViews
        visits += other.visits
        visitSeconds += other.visitSeconds
        visitors = Self.union(visitors, other.visitors)
        if let times = other.responseTimes {
            if responseTimes == nil { responseTimes = ResponseTimes() }
            responseTimes!.merge(times)
        }
        for (dimension, otherRows) in other.rows {
            for (key, row) in otherRows {
                var mine = rows[dimension]?[key] ?? Row(visitors: row.visitors == nil ? nil : 0,
                                                         visitorSet: row.visitorSet == nil ? nil : VisitorSubset(codes: []))
                mine.hits += row.hits
                mine.bytes += row.bytes
                if let codes = row.visitorCodes {
                    mine.visitorCodes = Self.union(mine.visitorCodes ?? [], codes)
                    mine.visitors = mine.visitorSet?.count
                } else if let count = row.visitors {
                    mine.visitors = max(mine.visitors ?? 0, count)
                }
                if let times = row.responseTimes {
                    if mine.responseTimes == nil { mine.responseTimes = ResponseTimes() }
                    mine.responseTimes!.merge(times)
                }
                rows[dimension, default: [:]][key] = mine
            }
        }
    }

    /// The union of two sorted code lists, sorted.
    static func union(_ a: [UInt64], _ b: [UInt64]) -> [UInt64] {
        var result: [UInt64] = []
        result.reserveCapacity(a.count + b.count)
        var i = 0, j = 0
        while i < a.count || j < b.count {
            let next: UInt64
            if j == b.count || (i < a.count && a[i] < b[j]) {
                next = a[i]; i += 1
            } else if i == a.count || b[j] < a[i] {
                next = b[j]; j += 1
            } else {
                next = a[i]; i += 1; j += 1
            }
            if result.last != next { result.append(next) }
        }
        return result
    }
}
