import Foundation
import LogWardAggregate

/// The numbers every non-SQLite sink writes, read back from the store so all sinks agree. Rows of sites whose
/// policy allows external audiences are k-anonymous: a breakdown row seen by fewer than k distinct visitors
/// is folded into `(other)`.
public struct StatsExport: Sendable, Equatable, Codable {
    public static let otherKey = "(other)"

    public var daily: [DailyRow]
    public var breakdown: [BreakdownRow]
    /// External site-days left out whole: fewer than k distinct visitors over all their files.
    public var withheldSiteDays: Int

    enum CodingKeys: String, CodingKey {
        case daily, breakdown
        case withheldSiteDays = "withheld_site_days"
    }

    public init(daily: [DailyRow], breakdown: [BreakdownRow], withheldSiteDays: Int = 0) {
        self.daily = daily
        self.breakdown = breakdown
        self.withheldSiteDays = withheldSiteDays
    }

    public init(store: StatsStore) throws {
        // A site-day of an external audience seen by fewer than k distinct visitors (the union of its files'
        // visitor sets) describes fewer than k people in every number: none of them goes out, not even its total.
        // A day that spans a policy version change is one site-day per version, each judged by its own version.
        let all = try store.daily()
        let withheld = Set(all.filter { $0.audience == .external && $0.visitors < $0.kAnonymity }.map(Self.key))
        let daily = all.filter { !withheld.contains(Self.key($0)) }
        self.daily = daily
        withheldSiteDays = withheld.count
        // Every exported row says who may see it: its site-day's audience.
        let audiences = Dictionary(daily.map { (Self.key($0), $0.audience) }, uniquingKeysWith: { a, _ in a })
        breakdown = Self.fold(try store.breakdown().filter { !withheld.contains(Self.key($0)) }, daily: daily).map { row in
            var row = row
            row.audience = audiences[Self.key(row)]
            return row
        }
    }

    private static func key(_ row: DailyRow) -> String { row.site + "\u{0}" + row.day + "\u{0}" + row.policy }
    private static func key(_ row: BreakdownRow) -> String { row.site + "\u{0}" + row.day + "\u{0}" + row.policy }

    /// The rows one audience may see (an external export holds external sites only).
    public func only(_ audience: Policy.Audience) -> StatsExport {
        StatsExport(daily: daily.filter { $0.audience == audience }, breakdown: breakdown.filter { $0.audience == audience },
                    withheldSiteDays: audience == .external ? withheldSiteDays : 0)
    }

    /// `stats.json` -> `stats.internal.json`, `daily.csv` -> `daily.internal.csv`: where internal rows go.
    public static func internalPath(_ path: String) -> String {
        let name = (path as NSString).lastPathComponent
        let directory = (path as NSString).deletingLastPathComponent
        let dot = name.lastIndex(of: ".").map { name.distance(from: name.startIndex, to: $0) } ?? name.count
        let internalName = dot == 0 ? name + ".internal" : String(name.prefix(dot)) + ".internal" + String(name.dropFirst(dot))
        return directory.isEmpty ? internalName : directory + "/" + internalName
    }

    /// Folds rows under k visitors of external site-days. Rows without a visitor count (status, method, hour,
    /// crawler, counters: categorical counts over a whole site-day) are kept as they are.
    static func fold(_ rows: [BreakdownRow], daily: [DailyRow]) -> [BreakdownRow] {
        var threshold: [String: Int] = [:]
        for day in daily where day.audience == .external { threshold[key(day)] = day.kAnonymity }
        var result: [BreakdownRow] = []
        var other: [String: BreakdownRow] = [:]
        var otherOrder: [String] = []
        for row in rows {
            guard let k = threshold[key(row)], let visitors = row.visitors, visitors < k else {
                result.append(row)
                continue
            }
            let group = [row.site, row.day, row.policy, row.dimension].joined(separator: "\u{0}")
            if other[group] == nil {
                other[group] = BreakdownRow(site: row.site, day: row.day, policy: row.policy, dimension: row.dimension, key: otherKey,
                                            hits: 0, bytes: 0, visitors: nil)
                otherOrder.append(group)
            }
            other[group]!.hits += row.hits
            other[group]!.bytes += row.bytes
        }
        result += otherOrder.map { other[$0]! }
        return result.sorted {
            ($0.site, $0.day, $0.policy, $0.dimension, -$0.hits, $0.key) < ($1.site, $1.day, $1.policy, $1.dimension, -$1.hits, $1.key)
        }
    }

    // MARK: Writers

    /// The CSV files' names, in the folder `--csv` names.
    public static let csvFileNames = ["daily.csv", "breakdown.csv"]

    /// The two CSV files' texts, in `csvFileNames` order.
    public func csvTexts() -> [String] {
        let times = "timed_requests,response_ms_mean,response_ms_p50,response_ms_p95,response_ms_p99"
        var daily = "site,day,policy,audience,requests,failed,bytes,page_views,visitors,visits,visit_seconds,average_visit_seconds,\(times)\n"
        for row in self.daily {
            daily += ([Self.csv(row.site), row.day, row.policy, row.audience.rawValue, String(row.requests), String(row.failed),
                       String(row.bytes), String(row.pageViews), String(row.visitors), String(row.visits), String(row.visitSeconds),
                       String(format: "%.1f", row.averageVisitSeconds)] + Self.csv(row.responseTimes)).joined(separator: ",") + "\n"
        }
        var breakdown = "site,day,policy,audience,dimension,key,hits,bytes,visitors,\(times)\n"
        for row in self.breakdown {
            breakdown += ([Self.csv(row.site), row.day, row.policy, row.audience?.rawValue ?? "", row.dimension, Self.csv(row.key),
                           String(row.hits), String(row.bytes), row.visitors.map(String.init) ?? ""] + Self.csv(row.responseTimes))
                .joined(separator: ",") + "\n"
        }
        return [daily, breakdown]
    }

    public func jsonText() throws -> String { try ReportJSON.text(self) }

    /// Response time columns: empty when the format logs no time.
    private static func csv(_ times: ResponseTimeSummary?) -> [String] {
        guard let times else { return ["", "", "", "", ""] }
        return [String(times.requests)] + [times.meanMs, times.p50Ms, times.p95Ms, times.p99Ms].map { String(format: "%.2f", $0) }
    }

    private static func csv(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
