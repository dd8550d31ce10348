import Foundation
import LogWardAggregate

/// One self-contained HTML file of the statistics, GoAccess's way: per site, requests, visitors and visits over
/// time, top paths, referrers, status codes, browsers, operating systems and response times. Inline CSS and SVG,
/// no script, and a Content-Security-Policy that forbids any fetch, so opening it contacts no one. It is drawn from
/// an export (`StatsExport`), so external sites' rows are folded and withheld exactly as in every other sink.
public struct HTMLReport {
    public static let defaultTop = 20

    public var export: StatsExport
    /// Rows shown per table; the rest are summed into one line.
    public var top: Int
    public var title: String

    public init(export: StatsExport, top: Int = Self.defaultTop, title: String = "logward statistics") {
        self.export = export
        self.top = top
        self.title = title
    }

    /// The tables of a site, in the order shown: dimension, heading, what its keys are.
    static let tables: [(dimension: BreakdownDimension, heading: String, key: String)] = [
        (.path, "Top paths", "Path"),
        (.notFound, "Not found (404)", "Path"),
        (.referrerDomain, "Referring sites", "Referrer"),
        (.status, "Status codes", "Status"),
        (.browser, "Browsers", "Browser"),
        (.operatingSystem, "Operating systems", "Operating system"),
        (.crawler, "Crawlers", "Crawler"),
    ]

    public var text: String {
        let sites = Set(export.daily.map(\.site)).sorted()
        var html = """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8">
            <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(HTMLText.escape(title))</title>
            <style>\(Self.style)</style></head>
            <body><header><h1>\(HTMLText.escape(title))</h1>
            """
        if sites.isEmpty {
            html += "<p class=\"empty\">No statistics to show.</p>"
        } else {
            html += "<nav>" + sites.map { "<a href=\"#\(Self.anchor($0))\">\(HTMLText.escape($0))</a>" }.joined(separator: " ") + "</nav>"
        }
        if export.withheldSiteDays > 0 {
            html += "<p class=\"note\">\(export.withheldSiteDays) site-day(s) withheld: fewer distinct visitors than their policy's k.</p>"
        }
        html += "</header>"
        if sites.count > 1 { html += overview(sites) }
        for site in sites { html += section(site) }
        return html + "<footer>Visitors are distinct per day; totals over several days add the days' counts (as GoAccess does). "
            + "Rows of external sites seen by fewer than k visitors are folded into (other).</footer></body></html>\n"
    }

    // MARK: Sections

    private struct DayTotals {
        var day: String
        var requests = 0, failed = 0, pageViews = 0, visitors = 0, visits = 0
        var bytes: Int64 = 0, visitSeconds: Int64 = 0
        var times: ResponseTimeSummary?
    }

    /// A site's days, the parts under several policy versions added together.
    private func days(of site: String) -> [DayTotals] {
        var byDay: [String: DayTotals] = [:]
        for row in export.daily where row.site == site {
            var total = byDay[row.day] ?? DayTotals(day: row.day)
            total.requests += row.requests
            total.failed += row.failed
            total.pageViews += row.pageViews
            total.visitors += row.visitors
            total.visits += row.visits
            total.bytes += row.bytes
            total.visitSeconds += row.visitSeconds
            // A day split by a version change shows the times of its busier part.
            if let times = row.responseTimes, times.requests > (total.times?.requests ?? 0) { total.times = times }
            byDay[row.day] = total
        }
        return byDay.values.sorted { $0.day < $1.day }
    }

    private func overview(_ sites: [String]) -> String {
        var html = "<section id=\"overview\"><h2>All sites</h2><table class=\"overview\"><thead><tr><th>Site</th><th>Days</th>"
            + "<th>Requests</th><th>Visitors</th><th>Visits</th><th>Bytes</th></tr></thead><tbody>"
        for site in sites {
            let days = days(of: site)
            html += "<tr><td><a href=\"#\(Self.anchor(site))\">\(HTMLText.escape(site))</a></td><td>\(days.count)</td>"
                + cells([days.reduce(0) { $0 + $1.requests }, days.reduce(0) { $0 + $1.visitors }, days.reduce(0) { $0 + $1.visits }])
                + "<td>\(Self.bytes(days.reduce(0) { $0 + $1.bytes }))</td></tr>"
        }
        return html + "</tbody></table></section>"
    }

    private func section(_ site: String) -> String {
        let days = days(of: site)
        let rows = export.breakdown.filter { $0.site == site }
        let policies = Set(export.daily.filter { $0.site == site }.map(\.policy)).sorted()
        let audiences = Set(export.daily.filter { $0.site == site }.map(\.audience.rawValue)).sorted()
        let requests = days.reduce(0) { $0 + $1.requests }
        let visits = days.reduce(0) { $0 + $1.visits }
        let visitSeconds = days.reduce(Int64(0)) { $0 + $1.visitSeconds }
        var html = "<section class=\"site\" id=\"\(Self.anchor(site))\"><h2>\(HTMLText.escape(site))</h2>"
        html += "<p class=\"meta\">\(HTMLText.escape(days.first?.day ?? "")) to \(HTMLText.escape(days.last?.day ?? "")) · policy "
            + policies.map(HTMLText.escape).joined(separator: ", ") + " · audience " + audiences.joined(separator: ", ") + "</p>"
        html += "<dl class=\"totals\">"
        let totals: [(String, String)] = [
            ("Requests", SVGChart.grouped(Int64(requests))),
            ("Failed", SVGChart.grouped(Int64(days.reduce(0) { $0 + $1.failed }))),
            ("Page views", SVGChart.grouped(Int64(days.reduce(0) { $0 + $1.pageViews }))),
            ("Visitors", SVGChart.grouped(Int64(days.reduce(0) { $0 + $1.visitors }))),
            ("Visits", SVGChart.grouped(Int64(visits))),
            ("Average visit", visits == 0 ? "-" : String(format: "%.0f s", Double(visitSeconds) / Double(visits))),
            ("Bytes", Self.bytes(days.reduce(0) { $0 + $1.bytes })),
        ]
        for (name, value) in totals { html += "<div><dt>\(name)</dt><dd>\(value)</dd></div>" }
        html += "</dl>"
        let labels = days.map(\.day)
        html += "<figure><figcaption>Requests, visitors and visits per day</figcaption>" + SVGChart.lines(title: "Requests, visitors and visits per day", labels: labels, series: [
            .init(name: "requests", values: days.map { Double($0.requests) }, color: "#1f77b4"),
            .init(name: "visitors", values: days.map { Double($0.visitors) }, color: "#ff7f0e"),
            .init(name: "visits", values: days.map { Double($0.visits) }, color: "#2ca02c"),
        ]) + "</figure>"
        let hours = (0..<24).map { hour in
            rows.filter { $0.dimension == BreakdownDimension.hour.rawValue && Int($0.key) == hour }.reduce(0) { $0 + $1.hits }
        }
        if hours.contains(where: { $0 > 0 }) {
            html += "<figure><figcaption>Requests by hour of the day</figcaption>" + SVGChart.bars(title: "Requests by hour of the day", labels: (0..<24).map { String(format: "%02d", $0) },
                                               values: hours.map(Double.init), color: "#9467bd") + "</figure>"
        }
        let timed = days.filter { $0.times != nil }
        if !timed.isEmpty {
            html += "<figure><figcaption>Response time per day (ms)</figcaption>" + SVGChart.lines(title: "Response time per day (ms)", labels: timed.map(\.day), series: [
                .init(name: "p50", values: timed.map { $0.times!.p50Ms }, color: "#2ca02c"),
                .init(name: "p95", values: timed.map { $0.times!.p95Ms }, color: "#ff7f0e"),
                .init(name: "p99", values: timed.map { $0.times!.p99Ms }, color: "#d62728"),
            ], unit: " ms") + "</figure>"
        }
        for table in Self.tables {
            html += breakdownTable(site: site, rows: rows.filter { $0.dimension == table.dimension.rawValue }, table)
        }
        html += responseTimeTable(site: site, rows: rows.filter { $0.dimension == BreakdownDimension.path.rawValue && $0.responseTimes != nil })
        return html + "</section>"
    }

    /// A dimension's keys over all days, by hits: the top ones, then the rest in one line.
    private func breakdownTable(site: String, rows: [BreakdownRow],
                                _ table: (dimension: BreakdownDimension, heading: String, key: String)) -> String {
        guard !rows.isEmpty else { return "" }
        var sums: [String: (hits: Int, bytes: Int64, visitors: Int?)] = [:]
        for row in rows {
            var sum = sums[row.key] ?? (0, 0, nil)
            sum.hits += row.hits
            sum.bytes += row.bytes
            if let visitors = row.visitors { sum.visitors = (sum.visitors ?? 0) + visitors }
            sums[row.key] = sum
        }
        let ordered = sums.sorted { ($0.value.hits, $1.key) > ($1.value.hits, $0.key) }
        let total = ordered.reduce(0) { $0 + $1.value.hits }
        // Bars are drawn against the largest row, so the top key's bar is full width.
        let largest = Double(max(ordered.first?.value.hits ?? 1, 1))
        let hasVisitors = ordered.contains { $0.value.visitors != nil }
        var html = "<h3>\(table.heading)</h3><table class=\"breakdown\" id=\"\(Self.anchor(site))-\(table.dimension.rawValue)\">"
            + "<thead><tr><th>\(table.key)</th><th>Hits</th><th>Share</th>" + (hasVisitors ? "<th>Visitors</th>" : "")
            + "<th>Bytes</th></tr></thead><tbody>"
        func line(_ key: String, _ sum: (hits: Int, bytes: Int64, visitors: Int?), rest: Bool = false) -> String {
            let share = total == 0 ? 0 : Double(sum.hits) / Double(total)
            return "<tr\(rest ? " class=\"rest\"" : "")><td class=\"key\">\(HTMLText.escape(key))</td><td>\(SVGChart.grouped(Int64(sum.hits)))</td>"
                + "<td><span class=\"share\" style=\"width:\(String(format: "%.0f", min(Double(sum.hits) / largest, 1) * 80))px\"></span>"
                + String(format: "%.1f%%", share * 100) + "</td>"
                + (hasVisitors ? "<td>\(sum.visitors.map { SVGChart.grouped(Int64($0)) } ?? "")</td>" : "")
                + "<td>\(Self.bytes(sum.bytes))</td></tr>"
        }
        for (key, sum) in ordered.prefix(top) { html += line(key, sum) }
        if ordered.count > top {
            let rest = ordered.dropFirst(top)
            let sum = rest.reduce((hits: 0, bytes: Int64(0), visitors: Int?.none)) { ($0.hits + $1.value.hits, $0.bytes + $1.value.bytes, nil) }
            html += line("\(rest.count) more", sum, rest: true)
        }
        return html + "</tbody></table>"
    }

    /// Paths by their slowest day's p95: requests and mean over all days (exact), percentiles of that day.
    private func responseTimeTable(site: String, rows: [BreakdownRow]) -> String {
        guard !rows.isEmpty else { return "" }
        var paths: [String: (requests: Int, totalMs: Double, worst: ResponseTimeSummary)] = [:]
        for row in rows {
            guard let times = row.responseTimes else { continue }
            var entry = paths[row.key] ?? (0, 0, times)
            entry.requests += times.requests
            entry.totalMs += times.meanMs * Double(times.requests)
            if times.p95Ms > entry.worst.p95Ms { entry.worst = times }
            paths[row.key] = entry
        }
        let ordered = paths.sorted { ($0.value.worst.p95Ms, $1.key) > ($1.value.worst.p95Ms, $0.key) }.prefix(top)
        var html = "<h3>Slowest paths</h3><table class=\"breakdown\" id=\"\(Self.anchor(site))-response-times\"><thead><tr><th>Path</th>"
            + "<th>Timed requests</th><th>Mean</th><th>p50</th><th>p95</th><th>p99</th></tr></thead><tbody>"
        for (path, entry) in ordered {
            html += "<tr><td class=\"key\">\(HTMLText.escape(path))</td><td>\(SVGChart.grouped(Int64(entry.requests)))</td>"
            html += [entry.totalMs / Double(max(entry.requests, 1)), entry.worst.p50Ms, entry.worst.p95Ms, entry.worst.p99Ms]
                .map { "<td>" + String(format: "%.2f ms", $0) + "</td>" }.joined()
            html += "</tr>"
        }
        return html + "</tbody></table><p class=\"note\">Percentiles of each path's slowest day (by p95).</p>"
    }

    private func cells(_ values: [Int]) -> String { values.map { "<td>\(SVGChart.grouped(Int64($0)))</td>" }.joined() }

    /// An id from a site name (letters, digits, dots and dashes kept).
    static func anchor(_ site: String) -> String {
        "site-" + String(site.unicodeScalars.map { CharacterSet.alphanumerics.contains($0) || $0 == "." || $0 == "-" ? Character($0) : "_" })
    }

    static func bytes(_ value: Int64) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var amount = Double(value)
        var unit = 0
        while amount >= 1024, unit < units.count - 1 {
            amount /= 1024
            unit += 1
        }
        return unit == 0 ? "\(value) B" : String(format: "%.1f %@", amount, units[unit])
    }

    static let style = """
        body{font:14px/1.4 system-ui,sans-serif;margin:0 auto;max-width:960px;padding:0 16px;color:#222}
        header nav a{margin-right:12px}h2{border-bottom:2px solid #1f77b4;padding-bottom:4px;margin-top:40px}
        .meta,.note,footer{color:#666;font-size:12px}footer{margin:40px 0 20px}
        dl.totals{display:flex;flex-wrap:wrap;gap:8px}dl.totals div{background:#f3f6fa;padding:8px 12px;border-radius:4px}
        dt{font-size:12px;color:#555}dd{margin:0;font-size:18px;font-weight:600}
        figure{margin:16px 0}figcaption{font-weight:600;margin-bottom:4px}svg.chart{width:100%;height:auto;background:#fff}
        svg .grid{stroke:#e5e5e5}svg .tick,svg .legend{font-size:11px;fill:#555}
        table{border-collapse:collapse;width:100%;margin:8px 0 16px}th,td{padding:3px 8px;text-align:right;border-bottom:1px solid #eee}
        th:first-child,td.key{text-align:left}td.key{max-width:480px;overflow-wrap:anywhere}tr.rest td{color:#777;font-style:italic}
        .share{display:inline-block;height:8px;background:#1f77b4;margin-right:6px;vertical-align:middle}
        """
}
