import Foundation
import Testing
import LogWard

/// Response times (issue 17): every way Apache and nginx log them is read, and each site-day and path gets a
/// count, a mean and p50/p95/p99 from a histogram that adds up exactly across files.
@Suite struct ResponseTimeTests {
    @Test(arguments: [
        ("%h %t %D", "192.0.2.1 [10/Mar/2024:10:00:00 +0000] 1500", Int64(1500)),
        ("%h %t %{us}T", "192.0.2.1 [10/Mar/2024:10:00:00 +0000] 1500", 1500),
        ("%h %t %{ms}T", "192.0.2.1 [10/Mar/2024:10:00:00 +0000] 15", 15000),
        ("%h %t %T", "192.0.2.1 [10/Mar/2024:10:00:00 +0000] 2", 2_000_000),
        ("%h %t %{s}T", "192.0.2.1 [10/Mar/2024:10:00:00 +0000] 2", 2_000_000),
        ("$remote_addr [$time_local] $request_time", "192.0.2.1 [10/Mar/2024:10:00:00 +0000] 0.123", 123_000),
    ])
    func everyApacheAndNginxFormOfAResponseTimeIsRead(format: String, line: String, microseconds: Int64) throws {
        let parser = RecordParser(format: try LogFormat(format))
        var record = parser.makeRecord()
        #expect(parser.parse(Array(line.utf8).span, into: &record) == nil)
        #expect(record.responseMicroseconds == microseconds)
    }

    @Test func upstreamTimesAreSummedOverTheUpstreamsTried() throws {
        let parser = RecordParser(format: try LogFormat("$remote_addr [$time_local] $status $upstream_response_time $body_bytes_sent"))
        var record = parser.makeRecord()
        let line = "192.0.2.1 [10/Mar/2024:10:00:00 +0000] 200 0.002, 0.003 : 0.010 512"
        #expect(parser.parse(Array(line.utf8).span, into: &record) == nil)
        #expect(record.upstreamMicroseconds == 15_000)
        #expect(record.responseBytes == 512)
        let dash = "192.0.2.1 [10/Mar/2024:10:00:00 +0000] 200 - 512"
        #expect(parser.parse(Array(dash.utf8).span, into: &record) == nil)
        #expect(record.upstreamMicroseconds == nil)
    }

    /// 90 requests of 1 ms, 9 of 20 ms and one of 500 ms on /a, in two files of one day: p50 is 1 ms's bucket,
    /// p95 and p99 20 ms's, the mean 7.7 ms, for the day and for the path, in the store and in the CSV export.
    @Test func aDayAndItsPathsGetMeanAndPercentilesOverAllItsFiles() throws {
        let directory = try TemporaryDirectory()
        func line(_ index: Int, _ microseconds: Int) -> String {
            String(format: "192.0.2.%d - - [10/Mar/2024:10:%02d:%02d +0000] \"GET /a HTTP/1.1\" 200 10 \"-\" \"Mozilla/5.0 Firefox/120.0\" %d\n",
                   index % 20 + 1, index / 60, index % 60, microseconds)
        }
        var first = "", second = ""
        for index in 0..<100 {
            let microseconds = index < 90 ? 1000 : index < 99 ? 20_000 : 500_000
            if index % 2 == 0 { first += line(index, microseconds) } else { second += line(index, microseconds) }
        }
        let files = [try directory.write("a.log", first), try directory.write("b.log", second)]
        let format = #"%h %l %u %t "%r" %>s %b "%{Referer}i" "%{User-Agent}i" %D"#
        let set = try RulesLoader.load(directory: Fixtures.path("rules-stats"))
        var runner = PassRunner(scan: ScanOptions(format: try LogFormat(format)), choice: try PolicyChoice(set: set, site: "internal.test"),
                                pool: PseudonymizerPool(keys: try KeyStore(directory: directory.path("keys"))))
        runner.statsSinks = StatsSinks(sqlite: directory.path("s.sqlite"), csvDirectory: directory.path("csv"))
        _ = try runner.run(files: files, output: nil)
        let store = try StatsStore(path: directory.path("s.sqlite"))
        let expected = ResponseTimeSummary(requests: 100, meanMs: 7.7, p50Ms: 0.99, p95Ms: 19.46, p99Ms: 19.46)
        #expect(try store.daily().first?.responseTimes == expected)
        #expect(try store.breakdown().rows("2024-03-10", .path)["/a"]?.responseTimes == expected)
        let csv = try String(contentsOfFile: directory.path("csv/daily.internal.csv"), encoding: .utf8)
        #expect(csv.contains(",100,7.70,0.99,19.46,19.46\n"), "\(csv)")
        // A file without times leaves the columns empty.
        let plain = try CommandRunner.run(["stats", "--rules", Fixtures.path("rules-stats"), "--site", "internal.test",
                                           "--keys", directory.path("keys"), "--csv", directory.path("plain"),
                                           "--max-reject-rate", "1", Fixtures.path("stats/visits.log")])
        #expect(plain.status == 0, "\(plain.stderr)")
        let plainCSV = try String(contentsOfFile: directory.path("plain/daily.internal.csv"), encoding: .utf8)
        #expect(plainCSV.split(separator: "\n")[1].hasSuffix(",,,,,"))
    }

    @Test func bucketsCoverEveryValueWithinAnEighth() {
        var previous = ResponseTimes.range(of: 0)
        for bucket in UInt16(1)..<270 {
            let range = ResponseTimes.range(of: bucket)
            #expect(range.lowerBound == previous.upperBound + 1, "bucket \(bucket)")
            #expect(ResponseTimes.bucket(of: range.lowerBound) == bucket && ResponseTimes.bucket(of: range.upperBound) == bucket)
            #expect(Double(range.upperBound - range.lowerBound) <= Double(range.lowerBound) / 8)
            previous = range
        }
    }
}
