import Foundation
import Testing
import LogWard

/// logward's statistics against GoAccess (Debian `goaccess`) on the same logs. GoAccess runs with flags that
/// make its definitions comparable:
/// - `--no-global-config`: nothing from /etc/goaccess;
/// - `--no-query-string --http-method=no --http-protocol=no`: requests keyed by path alone, as logward's paths;
/// - `--4xx-to-unique-count`: 4xx requests count towards visitors (logward counts every request's visitor);
/// - `--all-static-files` and logward's static list (GoAccess's own): the same static files.
@Suite struct GoAccessParityTests {
    static func goaccess(_ log: String) throws -> [String: Any] {
        let directory = try TemporaryDirectory()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["goaccess", log, "--no-global-config", "--log-format=COMBINED", "--no-query-string",
                             "--http-method=no", "--http-protocol=no", "--4xx-to-unique-count", "--all-static-files",
                             "--max-items=1000", "-o", directory.path("ga.json")]
            + StaticFiles.extensions.map { "--static-file=\($0)" }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw CocoaError(.fileReadUnknown) }
        // GoAccess copies undecodable bytes of paths into its JSON: read it leniently.
        let raw = try Data(contentsOf: URL(fileURLWithPath: directory.path("ga.json")))
        let data = Data(String(decoding: raw, as: UTF8.self).utf8)
        return try JSONSerialization.jsonObject(with: data) as! [String: Any]
    }

    struct Ours {
        var daily: [DailyRow]
        var rows: [BreakdownRow]
        var lines: Int
        var parsed: Int

        func hits(_ dimension: BreakdownDimension) -> [String: Int] {
            rows.filter { $0.dimension == dimension.rawValue }.reduce(into: [:]) { $0[$1.key, default: 0] += $1.hits }
        }

        /// GoAccess's "requests" panel: paths that are not static files and not 404s.
        var pageHits: [String: Int] {
            var hits = hits(.path).filter { !StaticFiles.isStatic($0.key) }
            for (path, count) in self.hits(.notFound) where hits[path] != nil { hits[path]! -= count }
            return hits.filter { $0.value > 0 }
        }
    }

    static func ours(_ log: String, timeZone: StatsTimeZone) throws -> Ours {
        let directory = try TemporaryDirectory()
        let result = try runStats([log], rules: Fixtures.path("rules-stats"), site: "internal.test", timeZone: timeZone,
                                  sinks: StatsSinks(sqlite: directory.path("s.sqlite")), keys: directory.path("keys"))
        let store = try StatsStore(path: directory.path("s.sqlite"))
        return Ours(daily: try store.daily(), rows: try store.breakdown(), lines: result.files[0].lines, parsed: result.files[0].written)
    }

    static func panel(_ json: [String: Any], _ name: String) -> [[String: Any]] {
        (json[name] as! [String: Any])["data"] as! [[String: Any]]
    }

    static func count(_ item: [String: Any], _ metric: String) -> Int {
        (item[metric] as! [String: Any])["count"] as! Int
    }

    static func topTen(_ hits: [String: Int]) -> [String] {
        hits.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.prefix(10).map { "\($0.value) \($0.key)" }
    }

    @Test func elasticApacheLog() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/goaccess") else {
            Issue.record("goaccess is not installed (apt-get install goaccess)")
            return
        }
        let directory = try TemporaryDirectory()
        let plain = directory.path("elastic.log")
        // GoAccess reads plain text: the same bytes, decompressed.
        let unzip = Process()
        unzip.executableURL = URL(fileURLWithPath: "/bin/sh")
        unzip.arguments = ["-c", "zcat '\(Fixtures.realLog("elastic-apache-combined-10k.log.gz"))' > '\(plain)'"]
        try unzip.run()
        unzip.waitUntilExit()
        let theirs = try Self.goaccess(plain)
        let ours = try Self.ours(plain, timeZone: .utc)
        let general = theirs["general"] as! [String: Any]

        // Line 8899 is cut off inside its user agent. GoAccess counts it as a valid request; logward rejects it
        // (a line it cannot parse is never trusted), so every difference below is that one line:
        // a 200 on 2015-05-20, 235 bytes, one visitor (Googlebot with the truncated agent) that day.
        #expect(general["total_requests"] as? Int == ours.lines)
        #expect(general["valid_requests"] as? Int == ours.parsed + 1)
        #expect(general["failed_requests"] as? Int == 0)
        #expect(ours.daily.reduce(0) { $0 + $1.failed } == 1)
        #expect(general["unique_visitors"] as? Int == ours.daily.reduce(0) { $0 + $1.visitors } + 1)
        #expect(general["bandwidth"] as? Int == Int(ours.daily.reduce(0) { $0 + $1.bytes }) + 235)

        var statuses: [String: Int] = [:]
        for group in Self.panel(theirs, "status_codes") {
            for item in group["items"] as! [[String: Any]] {
                statuses[String((item["data"] as! String).prefix(3))] = Self.count(item, "hits")
            }
        }
        var expectedStatuses = statuses
        expectedStatuses["200"]! -= 1
        #expect(ours.hits(.status) == expectedStatuses)

        var days: [String: (hits: Int, visitors: Int)] = [:]
        for item in Self.panel(theirs, "visitors") {
            let day = item["data"] as! String  // 20150517
            let key = "\(day.prefix(4))-\(day.dropFirst(4).prefix(2))-\(day.suffix(2))"
            days[key] = (Self.count(item, "hits"), Self.count(item, "visitors"))
        }
        for row in ours.daily {
            let adjust = row.day == "2015-05-20" ? 1 : 0
            #expect(days[row.day]?.hits == row.requests + adjust, "\(row.day)")
            #expect(days[row.day]?.visitors == row.visitors + adjust, "\(row.day)")
        }
        #expect(days.count == ours.daily.count)

        let theirRequests = Dictionary(uniqueKeysWithValues: Self.panel(theirs, "requests").map { ($0["data"] as! String, Self.count($0, "hits")) })
        #expect(Self.topTen(ours.pageHits) == Self.topTen(theirRequests))
    }

    @Test func ipv6AndMalformedLines() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/goaccess") else {
            Issue.record("goaccess is not installed (apt-get install goaccess)")
            return
        }
        let log = Fixtures.path("stats/ipv6-malformed.log")
        let theirs = try Self.goaccess(log)
        // GoAccess buckets days by the log's own clock (+0100 here): logward is told the same zone.
        let ours = try Self.ours(log, timeZone: StatsTimeZone("+01:00")!)
        let general = theirs["general"] as! [String: Any]
        #expect(general["total_requests"] as? Int == 402)
        #expect(general["valid_requests"] as? Int == ours.parsed)
        #expect(general["failed_requests"] as? Int == ours.daily.reduce(0) { $0 + $1.failed })
        #expect(general["unique_visitors"] as? Int == ours.daily.reduce(0) { $0 + $1.visitors })
        #expect(general["bandwidth"] as? Int == Int(ours.daily.reduce(0) { $0 + $1.bytes }))
        var statuses: [String: Int] = [:]
        for group in Self.panel(theirs, "status_codes") {
            for item in group["items"] as! [[String: Any]] { statuses[String((item["data"] as! String).prefix(3))] = Self.count(item, "hits") }
        }
        #expect(ours.hits(.status) == statuses)
        let day = Self.panel(theirs, "visitors")
        #expect(day.count == 1 && ours.daily.count == 1)
        #expect(Self.count(day[0], "hits") == ours.daily[0].requests)
        #expect(Self.count(day[0], "visitors") == ours.daily[0].visitors)
        let theirRequests = Dictionary(uniqueKeysWithValues: Self.panel(theirs, "requests").map { ($0["data"] as! String, Self.count($0, "hits")) })
        #expect(Self.topTen(ours.pageHits) == Self.topTen(theirRequests))
    }
}
