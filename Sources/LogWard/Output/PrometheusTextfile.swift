import Foundation
import LogWardAggregate

/// The run a Prometheus textfile reports on, for alerting: when it ended, whether it succeeded, what it read.
public struct RunSummary: Sendable, Equatable {
    /// When the run ended (epoch seconds).
    public var finishedEpoch: Int64
    public var success: Bool
    public var lines: Int
    public var rejected: RejectionTally

    public init(finishedEpoch: Int64, success: Bool, lines: Int, rejected: RejectionTally) {
        self.finishedEpoch = finishedEpoch
        self.success = success
        self.lines = lines
        self.rejected = rejected
    }
}

/// The node_exporter textfile, by Prometheus's conventions: the latest complete day of each site without a `day`
/// label (history lives in SQL: a textfile that re-exports every day would grow a series per day and path),
/// breakdowns bounded to the top N keys of each dimension with the rest as `(other)`, base units in names
/// (`_bytes`, `_seconds`), `_total` only on counters (the history's running totals), and gauges of the last run
/// for alerts.
public struct PrometheusTextfile {
    public static let defaultTop = 10

    public var export: StatsExport
    /// Keys kept per site and dimension; the rest are summed into `(other)`.
    public var top: Int
    public var run: RunSummary?
    /// Days before this one (`YYYY-MM-DD`, the statistics' time zone) are complete; nil: every stored day is.
    public var today: String?

    public init(export: StatsExport, top: Int = Self.defaultTop, run: RunSummary? = nil, today: String? = nil) {
        self.export = export
        self.top = top
        self.run = run
        self.today = today
    }

    /// The latest complete day of each site (and its policy part: a day that spans a version change has two).
    var latestDays: [DailyRow] {
        let complete = export.daily.filter { row in today.map { row.day < $0 } ?? true }
        let latest = Dictionary(grouping: complete, by: \.site).compactMapValues { $0.map(\.day).max() }
        return complete.filter { latest[$0.site] == $0.day }
    }

    public var text: String {
        var text = ""
        func family(_ name: String, _ type: String, _ help: String, _ samples: [(labels: String, value: String)]) {
            text += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n"
            for sample in samples { text += name + (sample.labels.isEmpty ? "" : "{\(sample.labels)}") + " \(sample.value)\n" }
        }
        let days = latestDays
        func dayLabels(_ row: DailyRow) -> String {
            "site=\"\(Self.label(row.site))\",policy=\"\(Self.label(row.policy))\",audience=\"\(row.audience.rawValue)\""
        }
        let dayGauges: [(String, String, (DailyRow) -> String)] = [
            ("logward_day_start_timestamp_seconds", "Start (UTC epoch) of the latest complete day exported for the site.", {
                String((RulesLoader.parseDay($0.day) ?? 0) * 86_400) }),
            ("logward_day_requests", "Requests on the site's latest complete day.", { String($0.requests) }),
            ("logward_day_failed_lines", "Lines that did not parse, on the site's latest complete day.", { String($0.failed) }),
            ("logward_day_response_bytes", "Response bytes on the site's latest complete day.", { String($0.bytes) }),
            ("logward_day_page_views", "Requests that are not static files, on the site's latest complete day.", { String($0.pageViews) }),
            ("logward_day_visitors", "Distinct visitors (address and user agent) on the site's latest complete day.", { String($0.visitors) }),
            ("logward_day_visits", "Visits (30-minute inactivity) on the site's latest complete day.", { String($0.visits) }),
            ("logward_day_visit_duration_seconds", "Total visit duration on the site's latest complete day.", { String($0.visitSeconds) }),
        ]
        for (name, help, value) in dayGauges {
            family(name, "gauge", help, days.map { (dayLabels($0), value($0)) })
        }

        // Running totals over every exported day: counters, for rate() and increase() over any range.
        var totals: [String: (row: DailyRow, requests: Int, bytes: Int64, failed: Int)] = [:]
        for row in export.daily {
            let key = row.site + "\u{0}" + row.audience.rawValue
            var entry = totals[key] ?? (row, 0, 0, 0)
            entry.requests += row.requests
            entry.bytes += row.bytes
            entry.failed += row.failed
            totals[key] = entry
        }
        let sortedTotals = totals.values.sorted { ($0.row.site, $0.row.audience.rawValue) < ($1.row.site, $1.row.audience.rawValue) }
        func siteLabels(_ row: DailyRow) -> String { "site=\"\(Self.label(row.site))\",audience=\"\(row.audience.rawValue)\"" }
        family("logward_requests_total", "counter", "Requests over every exported day of the site.",
               sortedTotals.map { (siteLabels($0.row), String($0.requests)) })
        family("logward_response_bytes_total", "counter", "Response bytes over every exported day of the site.",
               sortedTotals.map { (siteLabels($0.row), String($0.bytes)) })
        family("logward_failed_lines_total", "counter", "Lines that did not parse over every exported day of the site.",
               sortedTotals.map { (siteLabels($0.row), String($0.failed)) })

        let rows = breakdownRows(of: days)
        func rowLabels(_ row: BreakdownRow) -> String {
            "site=\"\(Self.label(row.site))\",policy=\"\(Self.label(row.policy))\",audience=\"\(row.audience?.rawValue ?? "")\","
                + "dimension=\"\(row.dimension)\",key=\"\(Self.label(row.key))\""
        }
        family("logward_day_breakdown_requests", "gauge",
               "Requests per dimension and key (top \(top), the rest as (other)) on the site's latest complete day.",
               rows.map { (rowLabels($0), String($0.hits)) })
        family("logward_day_breakdown_response_bytes", "gauge",
               "Response bytes per dimension and key (top \(top), the rest as (other)) on the site's latest complete day.",
               rows.map { (rowLabels($0), String($0.bytes)) })
        family("logward_day_breakdown_visitors", "gauge",
               "Distinct visitors per dimension and key on the site's latest complete day (none for (other)).",
               rows.compactMap { row in row.visitors.map { (rowLabels(row), String($0)) } })

        // Response times as summaries, in seconds: quantiles 0.5, 0.95, 0.99 with _sum and _count.
        func summary(_ name: String, _ help: String, _ items: [(labels: String, times: ResponseTimeSummary)]) {
            guard !items.isEmpty else { return }
            text += "# HELP \(name) \(help)\n# TYPE \(name) summary\n"
            for (labels, times) in items {
                for (quantile, ms) in [("0.5", times.p50Ms), ("0.95", times.p95Ms), ("0.99", times.p99Ms)] {
                    text += "\(name){\(labels),quantile=\"\(quantile)\"} \(ms / 1000)\n"
                }
                text += "\(name)_sum{\(labels)} \(times.meanMs * Double(times.requests) / 1000)\n"
                text += "\(name)_count{\(labels)} \(times.requests)\n"
            }
        }
        summary("logward_day_response_time_seconds", "Response times on the site's latest complete day.",
                days.compactMap { row in row.responseTimes.map { (dayLabels(row), $0) } })
        summary("logward_day_breakdown_response_time_seconds", "Response times per path (top \(top)) on the site's latest complete day.",
                rows.compactMap { row in row.responseTimes.map { (rowLabels(row), $0) } })

        family("logward_withheld_site_days", "gauge", "External site-days left out: fewer than k distinct visitors.",
               [("", String(export.withheldSiteDays))])
        if let run {
            family("logward_last_run_timestamp_seconds", "gauge", "When the last logward run that wrote this file ended (UTC epoch).",
                   [("", String(run.finishedEpoch))])
            family("logward_last_run_success", "gauge", "1 when the last run read every input to its end and stored its statistics, else 0.",
                   [("", run.success ? "1" : "0")])
            family("logward_last_run_lines", "gauge", "Lines the last run read.", [("", String(run.lines))])
            family("logward_last_run_rejected_lines", "gauge", "Lines the last run rejected, by reason.",
                   RejectReason.allCases.map { ("reason=\"\($0.rawValue)\"", String(run.rejected.count($0))) })
        }
        return text
    }

    /// The breakdown rows of these site-days, each dimension cut to its `top` keys by requests and the rest summed
    /// into `(other)` (an `(other)` row the export already folded joins it).
    func breakdownRows(of days: [DailyRow]) -> [BreakdownRow] {
        let wanted = Set(days.map { $0.site + "\u{0}" + $0.day + "\u{0}" + $0.policy })
        let groups = Dictionary(grouping: export.breakdown.filter { wanted.contains($0.site + "\u{0}" + $0.day + "\u{0}" + $0.policy) }) {
            [$0.site, $0.day, $0.policy, $0.dimension]
        }
        var result: [BreakdownRow] = []
        for key in groups.keys.sorted(by: { $0.lexicographicallyPrecedes($1) }) {
            let rows = groups[key]!.sorted { ($1.hits, $0.key) < ($0.hits, $1.key) }
            var kept = rows.filter { $0.key != StatsExport.otherKey }.prefix(top).map { $0 }
            let keptKeys = Set(kept.map(\.key))
            let rest = rows.filter { !keptKeys.contains($0.key) }
            if !rest.isEmpty {
                var other = rest[0]
                other.key = StatsExport.otherKey
                other.hits = rest.reduce(0) { $0 + $1.hits }
                other.bytes = rest.reduce(0) { $0 + $1.bytes }
                other.visitors = nil
                other.responseTimes = nil
                kept.append(other)
            }
            result += kept
        }
        return result
    }

    static func label(_ value: String) -> String {
        value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n")
    }
}
