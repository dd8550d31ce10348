import Foundation
import Testing
import LogWard

/// The Prometheus textfile by Prometheus's conventions (issue 17): read back with the official parser
/// (prometheus_client, installed by `make tools` into .build/tools/prom), with an exact series count.
@Suite struct PrometheusTextfileTests {
    static var python: String {
        ProcessInfo.processInfo.environment["LOGWARD_PROM_PYTHON"]
            ?? Fixtures.repositoryRoot.appendingPathComponent(".build/tools/prom/bin/python").path
    }

    /// Families and series as prometheus_client parses them: one line per sample, `name type labels value`.
    static func parse(_ path: String) throws -> [String] {
        let script = """
            import sys
            from prometheus_client.parser import text_string_to_metric_families
            for family in text_string_to_metric_families(open(sys.argv[1]).read()):
                for sample in family.samples:
                    labels = ",".join("%s=%s" % item for item in sorted(sample.labels.items()))
                    print(family.type, sample.name, labels, repr(sample.value))
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = ["-c", script, path]
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let error = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "prometheus_client refused the file: \(error)")
        return text.split(separator: "\n").map(String.init)
    }

    /// 16 days of an internal site, 40 paths a day, one request an hour per path: the textfile holds the latest
    /// day only, its paths and hours cut to the top 5 and (other).
    @Test func sixteenDaysExportTheLatestDayWithBoundedSeries() throws {
        guard FileManager.default.isExecutableFile(atPath: Self.python) else {
            Issue.record("prometheus_client's python not found at \(Self.python): run `make tools`")
            return
        }
        let directory = try TemporaryDirectory()
        var text = ""
        for day in 1...16 {
            for hour in 0..<24 {
                for path in 0..<40 where (path + hour) % 4 == 0 {
                    text += String(format: "192.0.2.%d - - [%02d/Mar/2024:%02d:%02d:00 +0000] \"GET /p/%d HTTP/1.1\" 200 %d \"-\" \"Mozilla/5.0 Firefox/120.0\"\n",
                                   path % 7 + 1, day, hour, path, path, 100 + path)
                }
            }
        }
        text += "junk line\n"
        let log = try directory.write("access.log", text)
        let result = try CommandRunner.run(["stats", "--rules", Fixtures.path("rules-stats"), "--site", "internal.test",
                                            "--keys", directory.path("keys"), "--prometheus", directory.path("logward.prom"),
                                            "--prometheus-top", "5", "--max-reject-rate", "1", log])
        #expect(result.status == 0, "\(result.stderr)")
        // An internal site: its rows go to the .internal file; the named file holds the run and no site.
        let samples = try Self.parse(directory.path("logward.internal.prom"))
        #expect(!samples.contains { $0.contains("day=") })
        #expect(samples.contains("gauge logward_day_start_timestamp_seconds audience=internal,policy=stats-internal,site=internal.test 1710547200"))
        #expect(samples.contains("gauge logward_day_requests audience=internal,policy=stats-internal,site=internal.test 240"))
        #expect(samples.contains("counter logward_requests_total audience=internal,site=internal.test 3840"))
        #expect(samples.contains("gauge logward_day_breakdown_requests audience=internal,dimension=path,key=(other),policy=stats-internal,site=internal.test 210"))
        #expect(samples.contains("gauge logward_last_run_success  1"))
        #expect(samples.contains("gauge logward_last_run_rejected_lines reason=format-mismatch 1"))
        let series = samples.count
        // 8 day gauges + 3 counters; rows: path 5 + (other), hour 5 + (other), status, method, browser, os, crawler = 17,
        // each as requests and bytes, with visitors for the 5 kept paths, browser and os (7); withheld 1;
        // last run: timestamp, success, lines, and one rejected count per reason.
        #expect(series == 8 + 3 + 17 * 2 + 7 + 1 + 3 + RejectReason.allCases.count, "\(samples.joined(separator: "\n"))")
        #expect(samples.filter { $0.contains("dimension=path") }.count == 6 * 2 + 5)
    }

    /// One vocabulary across sinks: the JSON export uses the CSV's and SQLite's snake_case names, with the average.
    @Test func theJSONExportUsesTheCSVNames() throws {
        let directory = try TemporaryDirectory()
        _ = try runStats([StatsTests.log], site: "stats.test", sinks: StatsSinks(sqlite: directory.path("s.sqlite"), json: directory.path("s.json")),
                         keys: directory.path("keys"))
        let json = try String(contentsOfFile: directory.path("s.json"), encoding: .utf8)
        for name in ["\"page_views\"", "\"k_anonymity\"", "\"visit_seconds\"", "\"average_visit_seconds\" : 300", "\"withheld_site_days\""] {
            #expect(json.contains(name), "\(name)")
        }
        for name in ["pageViews", "kAnonymity", "visitSeconds", "withheldSiteDays"] { #expect(!json.contains(name), "\(name)") }
    }
}
