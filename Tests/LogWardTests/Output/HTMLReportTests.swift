import Foundation
import Testing
import LogWard
@testable import LogWardOutput

/// The HTML report (issue 17): self-contained, escaped, folded as exports are, and loaded in a real browser
/// (Debian's chromium, headless; `.ci/run` installs it) whose rendered DOM the assertions read.
@Suite struct HTMLReportTests {
    static func day(_ site: String, _ day: String, requests: Int, visitors: Int, k: Int = 2,
                    audience: Policy.Audience = .external) -> DailyRow {
        DailyRow(site: site, day: day, policy: "p", audience: audience, kAnonymity: k, requests: requests, failed: 1,
                 bytes: Int64(requests) * 1000, pageViews: requests / 2, visitors: visitors, visits: visitors + 1,
                 visitSeconds: Int64(visitors) * 60)
    }

    static func row(_ site: String, _ day: String, _ dimension: BreakdownDimension, _ key: String, hits: Int,
                    visitors: Int? = nil) -> BreakdownRow {
        BreakdownRow(site: site, day: day, policy: "p", dimension: dimension.rawValue, key: key, hits: hits, bytes: Int64(hits) * 10,
                     visitors: visitors)
    }

    /// Log fields are attacker-chosen: a path that is markup is shown as text, and no element comes of it.
    @Test func fieldsAreEscapedAndNothingIsFetched() {
        let export = StatsExport(daily: [Self.day("a.test", "2024-03-01", requests: 10, visitors: 3)],
                                 breakdown: [Self.row("a.test", "2024-03-01", .path, "/<script>alert(1)</script>?\"x'&", hits: 7, visitors: 3)])
        let html = HTMLReport(export: export).text
        #expect(html.contains("/&lt;script&gt;alert(1)&lt;/script&gt;?&quot;x&#39;&amp;"))
        #expect(!html.contains("<script"))
        #expect(html.contains("content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\""))
        // Nothing to fetch: the only URL is SVG's namespace.
        #expect(!html.replacingOccurrences(of: "http://www.w3.org/2000/svg", with: "").contains("://"))
    }

    /// Tables sum a key's days, sort by hits, keep the top N and sum the rest into one line.
    @Test func tablesKeepTheTopAndSumTheRest() {
        var breakdown: [BreakdownRow] = []
        for day in ["2024-03-01", "2024-03-02"] {
            for path in 0..<5 { breakdown.append(Self.row("a.test", day, .path, "/p\(path)", hits: 10 * (path + 1), visitors: 2)) }
        }
        let export = StatsExport(daily: [Self.day("a.test", "2024-03-01", requests: 150, visitors: 4),
                                         Self.day("a.test", "2024-03-02", requests: 150, visitors: 4)], breakdown: breakdown)
        let html = HTMLReport(export: export, top: 3).text
        let table = Self.element(html, id: "site-a.test-path")
        #expect(Self.rows(table) == [
            ["/p4", "100", "33.3%", "4", "1000 B"],
            ["/p3", "80", "26.7%", "4", "800 B"],
            ["/p2", "60", "20.0%", "4", "600 B"],
            ["2 more", "60", "20.0%", "", "600 B"],
        ])
    }

    /// Several sites: an overview, and a section and chart per site, days in order.
    @Test func everySiteHasItsSectionAndChart() {
        let export = StatsExport(daily: [Self.day("b.test", "2024-03-02", requests: 5, visitors: 2),
                                         Self.day("a.test", "2024-03-01", requests: 8, visitors: 3),
                                         Self.day("a.test", "2024-03-02", requests: 9, visitors: 3)], breakdown: [])
        let html = HTMLReport(export: export).text
        #expect(Self.count("<section class=\"site\"", in: html) == 2)
        #expect(Self.rows(Self.element(html, id: "overview")) == [["a.test", "2", "17", "6", "8", "16.6 KiB"],
                                                                 ["b.test", "1", "5", "2", "3", "4.9 KiB"]])
        #expect(html.contains("<title>2024-03-01 requests: 8</title>"))
    }

    // MARK: In a browser

    static var chromium: String? {
        for candidate in ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]
        where FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        return nil
    }

    /// Loads a file in headless chromium: the DOM it rendered, and what its console said.
    static func render(_ file: String, in directory: TemporaryDirectory) throws -> (dom: String, console: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: chromium!)
        let profile = directory.path("chromium-profile")
        process.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--user-data-dir=\(profile)",
                             "--enable-logging=stderr", "--v=0", "--virtual-time-budget=2000", "--dump-dom", "file://" + file]
        let domFile = directory.path("dom.html"), consoleFile = directory.path("console.txt")
        FileManager.default.createFile(atPath: domFile, contents: nil)
        FileManager.default.createFile(atPath: consoleFile, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: domFile))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: consoleFile))
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        return (try String(contentsOfFile: domFile, encoding: .utf8), try String(contentsOfFile: consoleFile, encoding: .utf8))
    }

    /// `stats --html` over four days of a site with response times; chromium renders the report: a chart per
    /// kind, a point per day and series, the tables' rows, a hostile path as text, and a console without errors.
    @Test func aRealBrowserRendersTheReport() throws {
        guard Self.chromium != nil else {
            Issue.record("chromium not found: install Debian's chromium (.ci/run does)")
            return
        }
        let directory = try TemporaryDirectory()
        var text = ""
        for day in 1...4 {
            for visitor in 1...(4 + day) {
                for path in ["/", "/about", "/blog/\(visitor % 3)"] {
                    text += String(format: "192.0.2.%d - - [%02d/Mar/2024:%02d:15:00 +0000] \"GET %@ HTTP/1.1\" 200 512 \"https://ref%d.example/\" \"Mozilla/5.0 (X11; Linux x86_64) Firefox/120.0\" %d\n",
                                   visitor, day, 8 + visitor % 10, path, visitor % 2, 1000 * visitor + 250 * day)
                }
            }
            for visitor in 1...2 {
                text += String(format: "192.0.2.%d - - [%02d/Mar/2024:12:00:00 +0000] \"GET /<img src=x onerror=alert(1)> HTTP/1.1\" 404 0 \"-\" \"curl/8.0\" 500\n", visitor, day)
            }
        }
        let log = try directory.write("access.log", text)
        let report = directory.path("report.html")
        let result = try CommandRunner.run(["stats", "--rules", Fixtures.path("rules-stats"), "--site", "stats.test", "--keys", directory.path("keys"),
                                            "--format", "%h %l %u %t \"%r\" %>s %b \"%{Referer}i\" \"%{User-Agent}i\" %D",
                                            "--sqlite", directory.path("stats.sqlite"), "--html", report, log])
        #expect(result.status == 0, "\(result.stderr)")
        let (dom, console) = try Self.render(report, in: directory)
        // Requests/visitors/visits per day, requests by hour, response times.
        #expect(Self.count("<svg class=\"chart\"", in: dom) == 3)
        #expect(Self.count("<circle", in: dom) == 4 * 3 + 4 * 3)
        #expect(Self.count("<rect class=\"bar\"", in: dom) == 24)
        #expect(dom.contains("<title>2024-03-04 requests: 26</title>"))
        // The browser built every table body. Paths over the four days, by hits; an external site with k = 2: the
        // one visitor of /blog/0 on the first day is folded into (other), as in every export.
        #expect(Self.rows(Self.element(dom, id: "site-stats.test-path")).map { Array($0.prefix(2)) } == [
            ["/", "26"], ["/about", "26"], ["/blog/1", "10"], ["/blog/2", "9"], ["/<img src=x onerror=alert(1)>", "8"], ["/blog/0", "6"],
            ["(other)", "1"],
        ])
        #expect(Self.rows(Self.element(dom, id: "site-stats.test-status")).map { Array($0.prefix(2)) } == [["200", "78"], ["404", "8"]])
        #expect(Self.rows(Self.element(dom, id: "site-stats.test-browser")).count == 2)
        // The hostile path is text in its cells, never an element.
        #expect(!dom.contains("<img"))
        #expect(dom.contains("/&lt;img src=x onerror=alert(1)&gt;"))
        #expect(Self.count("<script", in: dom) == 0)
        // No script error, and nothing the page tried to fetch (the CSP would have refused and said so).
        let complaints = console.split(separator: "\n").filter { $0.contains("CONSOLE") || $0.contains("Refused") || $0.contains("Uncaught") }
        #expect(complaints.isEmpty, "\(complaints)")
    }

    /// `logward report` over a store of two sites: `--site` keeps one; a missing database is exit 3.
    @Test func theReportCommandReadsAStore() throws {
        let directory = try TemporaryDirectory()
        let sqlite = directory.path("stats.sqlite")
        for (site, day) in [("stats.test", "2024-03-01"), ("internal.test", "2024-03-02")] {
            let log = try directory.write("\(site).log", (1...3).map {
                "192.0.2.\($0) - - [\(day.suffix(2))/Mar/2024:10:00:00 +0000] \"GET / HTTP/1.1\" 200 10 \"-\" \"Mozilla/5.0 Firefox/120.0\"\n"
            }.joined())
            let result = try CommandRunner.run(["stats", "--rules", Fixtures.path("rules-stats"), "--site", site, "--keys", directory.path("keys"),
                                                "--sqlite", sqlite, log])
            #expect(result.status == 0, "\(result.stderr)")
        }
        let all = try CommandRunner.run(["report", "--sqlite", sqlite, "--html", directory.path("all.html")])
        #expect(all.status == 0, "\(all.stderr)")
        // Audiences apart, as every export: the internal site goes to the .internal sibling only.
        let external = try String(contentsOfFile: directory.path("all.html"), encoding: .utf8)
        let internalReport = try String(contentsOfFile: directory.path("all.internal.html"), encoding: .utf8)
        #expect(external.contains("id=\"site-stats.test\"") && !external.contains("internal.test"))
        #expect(internalReport.contains("id=\"site-internal.test\"") && !internalReport.contains("stats.test"))
        let one = try CommandRunner.run(["report", "--sqlite", sqlite, "--html", directory.path("one.html"), "--site", "internal.test"])
        #expect(one.status == 0)
        let named = (try? String(contentsOfFile: directory.path("one.html"), encoding: .utf8)) ?? ""
        #expect(!named.contains("stats.test"))
        #expect(try String(contentsOfFile: directory.path("one.internal.html"), encoding: .utf8).contains("id=\"site-internal.test\""))
        let missing = try CommandRunner.run(["report", "--sqlite", directory.path("none.sqlite"), "--html", directory.path("x.html")])
        #expect(missing.status == 3)
        #expect(missing.stderr.contains("none.sqlite"))
    }

    // MARK: Reading HTML

    static func count(_ needle: String, in text: String) -> Int { text.components(separatedBy: needle).count - 1 }

    /// The element with this id, to its closing tag (tables and sections do not nest their own kind here).
    static func element(_ html: String, id: String) -> String {
        guard let start = html.range(of: "id=\"\(id)\"") else { return "" }
        let rest = html[start.upperBound...]
        let end = rest.range(of: "</table>") ?? rest.range(of: "</section>")
        return String(rest[..<(end?.lowerBound ?? rest.endIndex)])
    }

    /// The text of each body row's cells.
    static func rows(_ table: String) -> [[String]] {
        guard let body = table.range(of: "<tbody>") else { return [] }
        return table[body.upperBound...].components(separatedBy: "<tr").dropFirst().map { row in
            row.components(separatedBy: "<td").dropFirst().map { cell in
                var text = ""
                var inTag = true // the rest of the opening <td ...>
                for character in cell {
                    if character == "<" { inTag = true } else if character == ">" { inTag = false } else if !inTag { text.append(character) }
                }
                return text.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
                    .replacingOccurrences(of: "&amp;", with: "&")
            }
        }
    }
}
