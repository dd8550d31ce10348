import Foundation
import Testing
import LogWard
@testable import LogWardPipeline

/// Exact numbers on fixtures/stats/visits.log (see the comments there for who is who):
/// visitor A = 192.0.2.1 + Firefox, B = 192.0.2.2 + Firefox, C = 192.0.2.1 + curl.
@Suite struct StatsTests {
    static let log = Fixtures.path("stats/visits.log")

    func run(site: String = "stats.test", timeZone: StatsTimeZone = .utc) throws -> (StatsStore, TemporaryDirectory) {
        let directory = try TemporaryDirectory()
        _ = try runStats([Self.log], site: site, timeZone: timeZone, sinks: StatsSinks(sqlite: directory.path("stats.sqlite")),
                         keys: directory.path("keys"))
        return (try StatsStore(path: directory.path("stats.sqlite")), directory)
    }

    @Test func dailyTotalsVisitsAndVisitors() throws {
        let (store, _) = try run()
        let daily = try store.daily()
        #expect(daily.map(\.day) == ["2024-03-10", "2024-03-11"])
        let first = daily[0]
        #expect(first.site == "stats.test")
        #expect(first.policy == "stats-test")
        #expect(first.requests == 5)
        #expect(first.failed == 1)
        #expect(first.bytes == 460)
        // /index.html twice, /users/:id/profile, /signup; /style.css is static.
        #expect(first.pageViews == 4)
        #expect(first.visitors == 3)
        // A: 10:00-10:20 is one visit (20 minutes), 11:00 starts another after a 40-minute gap; B and C one each.
        #expect(first.visits == 4)
        #expect(first.visitSeconds == 1200)
        #expect(first.averageVisitSeconds == 300)
        #expect(daily[1].requests == 1)
        #expect(daily[1].visitors == 1)
        #expect(try store.schemaVersions() == ["v1", "v2", "v3-scope", "v4-policy-days", "v5-response-times", "v6-series", "v7-restated"])
    }

    @Test func breakdownsKeepNoIdentifiers() throws {
        let (store, _) = try run()
        let rows = try store.breakdown()
        let paths = rows.rows("2024-03-10", .path)
        #expect(Set(paths.keys) == ["/index.html", "/users/:id/profile", "/style.css", "/signup"])
        #expect(paths["/index.html"]?.hits == 2)
        #expect(paths["/index.html"]?.visitors == 2)
        #expect(rows.rows("2024-03-10", .notFound)["/index.html"]?.hits == 1)
        #expect(rows.rows("2024-03-10", .status).mapValues(\.hits) == ["200": 4, "404": 1])
        #expect(rows.rows("2024-03-10", .referrerDomain).mapValues(\.hits) == ["www.example.org": 1, "(ip)": 1])
        #expect(rows.rows("2024-03-10", .browser).mapValues(\.hits) == ["Firefox": 4, "Crawler": 1])
        #expect(rows.rows("2024-03-10", .crawler).mapValues(\.hits) == ["no": 4, "yes": 1])
        #expect(rows.rows("2024-03-10", .hour).mapValues(\.hits) == ["10": 3, "11": 1, "23": 1])
        #expect(rows.rows("2024-03-10", .counter).mapValues(\.hits) == ["signups": 1])
        for row in rows { #expect(!row.key.contains("192.0.2") && !row.key.contains("123")) }
    }

    @Test func aTimeZoneMovesRequestsBetweenDays() throws {
        let (store, _) = try run(timeZone: StatsTimeZone("+01:00")!)
        let daily = try store.daily()
        // C's 23:30 UTC request is 00:30 on the 11th in +01:00.
        #expect(daily.map(\.requests) == [4, 2])
        #expect(try store.breakdown().rows("2024-03-11", .hour).mapValues(\.hits) == ["00": 1, "01": 1])
    }

    @Test func externalExportsFoldRowsUnderKVisitors() throws {
        let (store, _) = try run()
        let export = try StatsExport(store: store)
        let paths = export.breakdown.rows("2024-03-10", .path)
        // k = 2: /index.html (2 visitors) stays, the three single-visitor paths fold into (other).
        #expect(Set(paths.keys) == ["/index.html", "(other)"])
        #expect(paths["(other)"]?.hits == 3)
        #expect(paths["(other)"]?.visitors == nil)
        // An internal audience keeps every row.
        let (internalStore, _) = try run(site: "internal.test")
        #expect(Set(try StatsExport(store: internalStore).breakdown.rows("2024-03-10", .path).keys).count == 4)
    }

    /// k-anonymity over the whole site-day (issue 16): one visitor in two files of a day counts once, so the day
    /// (k = 2) is withheld whole, where the files' summed counts (1 + 1) used to let its rows out.
    @Test func aSiteDayUnderKVisitorsOverAllItsFilesIsWithheldWhole() throws {
        let directory = try TemporaryDirectory()
        var files: [String] = []
        for (index, time) in ["09:00:00", "15:00:00"].enumerated() {
            let path = directory.path("part\(index).log")
            try "192.0.2.9 - - [12/Mar/2024:\(time) +0000] \"GET /index.html HTTP/1.1\" 200 10 \"-\" \"Mozilla/5.0 Firefox/120.0\"\n"
                .write(toFile: path, atomically: true, encoding: .utf8)
            files.append(path)
        }
        _ = try runStats(files + [Self.log], site: "stats.test", sinks: StatsSinks(sqlite: directory.path("stats.sqlite")),
                         keys: directory.path("keys"))
        let store = try StatsStore(path: directory.path("stats.sqlite"))
        // The store keeps the truth: one visitor on the 12th, two hits.
        #expect(try store.daily().first { $0.day == "2024-03-12" }?.visitors == 1)
        let export = try StatsExport(store: store)
        // The 11th (one visitor) and the 12th (one visitor in two files) go nowhere; the 10th (three) goes out.
        #expect(export.daily.map(\.day) == ["2024-03-10"])
        #expect(Set(export.breakdown.map(\.day)) == ["2024-03-10"])
        #expect(export.withheldSiteDays == 2)
        #expect(PrometheusTextfile(export: export).text.contains("logward_withheld_site_days 2\n"))
    }

    /// Audiences kept apart (issue 16): the named export files hold external sites only, every row says its
    /// audience, and an internal site's rows go to `.internal` files beside them.
    @Test func anInternalSiteNeverAppearsInAnExternalExport() throws {
        let directory = try TemporaryDirectory()
        let sinks = StatsSinks(sqlite: directory.path("s.sqlite"), csvDirectory: directory.path("csv"),
                               json: directory.path("s.json"), prometheus: directory.path("s.prom"))
        _ = try runStats([Self.log], site: "stats.test", sinks: sinks, keys: directory.path("keys"))
        // Another file (a file is identified by its content), of a site whose audience is internal.
        let other = directory.path("internal.log")
        try (String(contentsOfFile: Self.log, encoding: .utf8)
             + "192.0.2.3 - - [10/Mar/2024:12:00:00 +0000] \"GET /about HTTP/1.1\" 200 10 \"-\" \"Mozilla/5.0 Firefox/120.0\"\n")
            .write(toFile: other, atomically: true, encoding: .utf8)
        _ = try runStats([other], site: "internal.test", sinks: sinks, keys: directory.path("keys"))
        for name in ["csv/daily.csv", "csv/breakdown.csv", "s.json", "s.prom"] {
            let text = try String(contentsOfFile: directory.path(name), encoding: .utf8)
            #expect(text.contains("stats.test") && !text.contains("internal.test"), "\(name)")
            #expect(!text.contains(",internal,") && !text.contains("audience=\"internal\""), "\(name)")
        }
        for name in ["csv/daily.internal.csv", "csv/breakdown.internal.csv", "s.internal.json", "s.internal.prom"] {
            let text = try String(contentsOfFile: directory.path(name), encoding: .utf8)
            #expect(text.contains("internal.test") && !text.contains("stats.test"), "\(name)")
        }
        let breakdown = try String(contentsOfFile: directory.path("csv/breakdown.internal.csv"), encoding: .utf8).split(separator: "\n")
        #expect(breakdown[0] == "site,day,policy,audience,dimension,key,hits,bytes,visitors,timed_requests,response_ms_mean,response_ms_p50,response_ms_p95,response_ms_p99")
        #expect(breakdown.dropFirst().allSatisfy { $0.hasPrefix("internal.test,2024-03-1") && $0.contains(",internal,") })
        #expect(StatsExport.internalPath("/a/b/stats.json") == "/a/b/stats.internal.json")
        #expect(StatsExport.internalPath("logward") == "logward.internal")
    }

    /// `logward stats --csv D` without `--sqlite` exports this run's numbers only (a temporary store): an old
    /// `./stats.sqlite` of another site is neither read nor written; `--site S` scopes an export to S.
    @Test func anExportHoldsThisRunsSitesOnly() throws {
        let directory = try TemporaryDirectory()
        let keys = directory.path("keys")
        let rules = Fixtures.path("rules-stats")
        let first = try CommandRunner.run(["stats", "--rules", rules, "--site", "internal.test", "--keys", keys, "--quiet", "--max-reject-rate", "1", Self.log],
                                          currentDirectory: directory.url.path)
        #expect(first.status == 0, "\(first.stderr)")
        let before = try Data(contentsOf: URL(fileURLWithPath: directory.path("stats.sqlite")))
        let other = directory.path("other.log")
        try (String(contentsOfFile: Self.log, encoding: .utf8)
             + "192.0.2.3 - - [10/Mar/2024:12:00:00 +0000] \"GET /about HTTP/1.1\" 200 10 \"-\" \"Mozilla/5.0 Firefox/120.0\"\n")
            .write(toFile: other, atomically: true, encoding: .utf8)
        let second = try CommandRunner.run(["stats", "--rules", rules, "--site", "stats.test", "--keys", keys, "--quiet", "--max-reject-rate", "1",
                                            "--csv", directory.path("csv"), other], currentDirectory: directory.url.path)
        #expect(second.status == 0, "\(second.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: directory.path("stats.sqlite"))) == before)
        let daily = try String(contentsOfFile: directory.path("csv/daily.csv"), encoding: .utf8)
        #expect(daily.contains("stats.test,2024-03-10") && !daily.contains("internal.test"))
        #expect(!FileManager.default.fileExists(atPath: directory.path("csv/daily.internal.csv")))
        // The report says what the exports left out: the 11th, one visitor under k = 2.
        let reported = try CommandRunner.run(["stats", "--rules", rules, "--site", "stats.test", "--keys", keys,
                                              "--max-reject-rate", "1", "--csv", directory.path("csv3"), other],
                                             currentDirectory: directory.url.path)
        #expect(reported.stderr.contains("statistics exports: 1 external site-day(s) withheld whole (fewer than k distinct visitors)"),
                "\(reported.stderr)")

        // With --sqlite naming the shared database, --site still scopes the export.
        _ = try CommandRunner.run(["stats", "--rules", rules, "--site", "stats.test", "--keys", keys, "--quiet", "--max-reject-rate", "1",
                                   "--sqlite", directory.path("stats.sqlite"), "--csv", directory.path("csv2"), other],
                                  currentDirectory: directory.url.path)
        #expect(!FileManager.default.fileExists(atPath: directory.path("csv2/daily.internal.csv")))
        #expect(try StatsStore(path: directory.path("stats.sqlite")).daily().map(\.site).contains("internal.test"))
    }

    @Test func aRerunLeavesTheDatabaseUnchanged() throws {
        let directory = try TemporaryDirectory()
        let sinks = StatsSinks(sqlite: directory.path("stats.sqlite"))
        let first = try runStats([Self.log], site: "stats.test", sinks: sinks, keys: directory.path("keys"))
        let before = try Data(contentsOf: URL(fileURLWithPath: directory.path("stats.sqlite")))
        let second = try runStats([Self.log], site: "stats.test", sinks: sinks, keys: directory.path("keys"))
        let after = try Data(contentsOf: URL(fileURLWithPath: directory.path("stats.sqlite")))
        #expect(first.stats == [.stored])
        #expect(second.stats == [.alreadyStored])
        #expect(before == after)
        // --replace counts the file again: its rows are replaced, never added.
        let third = try runStats([Self.log], site: "stats.test", sinks: sinks, keys: directory.path("keys"), replace: true)
        #expect(third.stats == [.stored])
        #expect(try StatsStore(path: directory.path("stats.sqlite")).daily().map(\.requests) == [5, 1])
    }

    @Test func aFileThatFailsMidwayContributesNothing() throws {
        let directory = try TemporaryDirectory()
        let result = try runStats([Fixtures.path("elastic-head-200-truncated.log.gz"), Self.log], site: "stats.test",
                                  sinks: StatsSinks(sqlite: directory.path("stats.sqlite")), keys: directory.path("keys"))
        #expect(result.stats == [nil, .stored])
        #expect(result.files[0].written == 78)
        let store = try StatsStore(path: directory.path("stats.sqlite"))
        // Only visits.log's two days: nothing from May 2015.
        #expect(try store.daily().map(\.day) == ["2024-03-10", "2024-03-11"])
    }

    @Test func everySinkReportsTheSameNumbers() throws {
        let directory = try TemporaryDirectory()
        let sinks = StatsSinks(sqlite: directory.path("s.sqlite"), csvDirectory: directory.path("csv"),
                               json: directory.path("s.json"), prometheus: directory.path("s.prom"))
        _ = try runStats([Self.log], site: "stats.test", sinks: sinks, keys: directory.path("keys"))
        let export = try StatsExport(store: try StatsStore(path: directory.path("s.sqlite")))
        let json = try JSONDecoder().decode(StatsExport.self, from: Data(contentsOf: URL(fileURLWithPath: directory.path("s.json"))))
        #expect(json == export)
        let csv = try String(contentsOfFile: directory.path("csv/daily.csv"), encoding: .utf8).split(separator: "\n")
        #expect(csv[0] == "site,day,policy,audience,requests,failed,bytes,page_views,visitors,visits,visit_seconds,average_visit_seconds,timed_requests,response_ms_mean,response_ms_p50,response_ms_p95,response_ms_p99")
        #expect(csv[1] == "stats.test,2024-03-10,stats-test,external,5,1,460,4,3,4,1200,300.0,,,,,")
        let breakdown = try String(contentsOfFile: directory.path("csv/breakdown.csv"), encoding: .utf8).split(separator: "\n")
        #expect(breakdown.count == export.breakdown.count + 1)
        let prometheus = try String(contentsOfFile: directory.path("s.prom"), encoding: .utf8)
        // The latest complete day exported (the 11th, one visitor, is withheld), without a day label.
        #expect(prometheus.contains("logward_day_requests{site=\"stats.test\",policy=\"stats-test\",audience=\"external\"} 5\n"))
        #expect(prometheus.contains("logward_day_visitors{site=\"stats.test\",policy=\"stats-test\",audience=\"external\"} 3\n"))
        #expect(prometheus.contains("logward_day_breakdown_requests{site=\"stats.test\",policy=\"stats-test\",audience=\"external\",dimension=\"path\",key=\"(other)\"} 3\n"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.url.path).sorted() == ["csv", "keys", "s.json", "s.prom", "s.sqlite"])
    }

    @Test func anonymizeAndStatsInOnePass() throws {
        let directory = try TemporaryDirectory()
        let set = try RulesLoader.load(directory: Fixtures.path("rules-stats"))
        let choice = try PolicyChoice(set: set, site: "stats.test")
        var runner = PassRunner(scan: ScanOptions(), choice: choice, pool: PseudonymizerPool(keys: try KeyStore(directory: directory.path("keys"))))
        runner.statsSinks = StatsSinks(sqlite: directory.path("s.sqlite"))
        let output = try LogOutput(path: directory.path("anon.log"))
        let result = try runner.run(files: [Self.log], output: output)
        try output.commit()
        #expect(result.files[0].written == 6)
        #expect(try StatsStore(path: directory.path("s.sqlite")).daily().map(\.visitors) == [3, 1])
        let anonymized = try String(contentsOfFile: directory.path("anon.log"), encoding: .utf8)
        #expect(!anonymized.contains("192.0.2.1 ") && anonymized.split(separator: "\n").count == 6)
    }

    /// A day's first 64 rows with distinct visitors count them by bit, the rows after by set: a day with 150
    /// paths, path /p/N requested twice by each of N % 9 + 1 visitors, 404s on every tenth path, two referrer
    /// domains. Counted by one thread and by two workers with small batches (the aggregator sees every line).
    @Test(arguments: [1, 2])
    func distinctVisitorsPerRowBeyondTheFirstSixtyFour(workers: Int) throws {
        let directory = try TemporaryDirectory()
        var lines: [String] = []
        for round in 0..<2 {
            for path in 0..<150 {
                for visitor in 0...(path % 9) {
                    let status = path % 10 == 0 ? 404 : 200
                    let referrer = visitor % 2 == 0 ? "https://a.example/x" : "https://b.example/y"
                    let second = (path * 9 + visitor) % 60
                    lines.append("10.0.0.\(visitor + 1) - - [10/Mar/2024:1\(round):\(String(format: "%02d", path % 60)):\(String(format: "%02d", second)) +0000] "
                                 + "\"GET /p/\(path) HTTP/1.1\" \(status) 10 \"\(referrer)\" \"Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0\"")
                }
            }
        }
        let log = try directory.write("rows.log", Array((lines.joined(separator: "\n") + "\n").utf8))
        let set = try RulesLoader.load(directory: Fixtures.path("rules-stats"))
        var runner = PassRunner(scan: ScanOptions(), choice: try PolicyChoice(set: set, site: "stats.test"),
                                pool: PseudonymizerPool(keys: try KeyStore(directory: directory.path("keys"))))
        runner.statsSinks = StatsSinks(sqlite: directory.path("s.sqlite"))
        runner.workers = workers
        runner.batchBytes = 4096
        _ = try runner.run(files: [log], output: nil)
        let store = try StatsStore(path: directory.path("s.sqlite"))
        #expect(try store.daily().map(\.visitors) == [9])
        let rows = try store.breakdown()
        let paths = rows.rows("2024-03-10", .path)
        #expect(paths.count == 150)
        for path in 0..<150 {
            #expect(paths["/p/\(path)"]?.visitors == path % 9 + 1, "/p/\(path)")
            #expect(paths["/p/\(path)"]?.hits == 2 * (path % 9 + 1), "/p/\(path)")
        }
        let notFound = rows.rows("2024-03-10", .notFound)
        #expect(notFound.count == 15)
        for path in stride(from: 0, to: 150, by: 10) { #expect(notFound["/p/\(path)"]?.visitors == path % 9 + 1) }
        #expect(rows.rows("2024-03-10", .referrerDomain).mapValues { $0.visitors } == ["a.example": 5, "b.example": 4])
    }

    /// A visitor is its address as the code's HMAC reads it: an IPv4-mapped IPv6 address is its IPv4 address, a host
    /// name and a bracketed address are case-folded, so the same client written two ways is one visitor with one
    /// visit, while another agent on the same address is another visitor. Visits: 10:00-10:10, 10:00-10:20 and
    /// 10:00-10:05, plus curl's one.
    @Test func oneAddressWrittenTwoWaysIsOneVisitor() throws {
        let directory = try TemporaryDirectory()
        let firefox = "Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0"
        func line(_ address: String, _ time: String, _ agent: String) -> String {
            "\(address) - - [10/Mar/2024:\(time) +0000] \"GET / HTTP/1.1\" 200 10 \"-\" \"\(agent)\""
        }
        let lines = [line("::ffff:192.0.2.1", "10:00:00", firefox), line("Host.Example", "10:00:00", firefox),
                     line("192.0.2.1", "10:10:00", firefox), line("192.0.2.1", "10:15:00", "curl/8.4.0"),
                     line("host.example", "10:20:00", firefox), line("[2001:DB8::1]", "10:00:00", firefox),
                     line("[2001:db8::1]", "10:05:00", firefox)]
        let log = try directory.write("spellings.log", Array((lines.joined(separator: "\n") + "\n").utf8))
        let set = try RulesLoader.load(directory: Fixtures.path("rules-stats"))
        var runner = PassRunner(scan: ScanOptions(), choice: try PolicyChoice(set: set, site: "stats.test"),
                                pool: PseudonymizerPool(keys: try KeyStore(directory: directory.path("keys"))))
        runner.statsSinks = StatsSinks(sqlite: directory.path("s.sqlite"))
        _ = try runner.run(files: [log], output: nil)
        let daily = try StatsStore(path: directory.path("s.sqlite")).daily()
        #expect(daily.map(\.requests) == [7])
        #expect(daily.map(\.visitors) == [4])
        #expect(daily.map(\.visits) == [4])
        #expect(daily.map(\.visitSeconds) == [2100])
    }
}
