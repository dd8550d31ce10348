import Foundation
import Testing
import LogWard
@testable import LogWardPipeline

/// Batches anonymized on two threads must give exactly what one thread gives: bytes, counts, line numbers.
@Suite struct PassEngineTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var file: String
        var format: String
        var policy: String?
        var site: String?
        var testDescription: String { file }
    }

    static let cases: [Case] = [
        Case(file: Fixtures.realLog("elastic-apache-combined-10k.log.gz"), format: "combined", policy: "music123-2003"),
        Case(file: Fixtures.realLog("advertools-latin1-gzip-tail-200.log"), format: "combined", policy: "123together-2003"),
        Case(file: Fixtures.path("planted/planted.log"),
             format: #"%v %h %l %u %t "%r" %>s %b "%{Referer}i" "%{User-Agent}i" "%{X-Forwarded-For}i" "%{Cookie}i""#),
        Case(file: Fixtures.path("elastic-head-200-truncated.log.gz"), format: "combined", site: "groups.im"),
    ]

    func run(_ testCase: Case, workers: Int, directory: TemporaryDirectory, batchBytes: Int = 4096,
             chunkSize: Int = 8 * 1024) throws -> (Data, PassFileReport) {
        let format = try LogFormat(testCase.format)
        let choice = try PolicyChoice(set: Rules.set, forcedPolicy: testCase.policy, site: testCase.site)
        let keys = try KeyStore(directory: directory.path("keys"))
        var runner = PassRunner(scan: ScanOptions(format: format, chunkSize: chunkSize), choice: choice, pool: PseudonymizerPool(keys: keys))
        runner.onReject = .scrub
        runner.workers = workers
        runner.batchBytes = batchBytes
        let path = directory.path("out-\(workers).log")
        let output = try LogOutput(path: path)
        let result = try runner.run(files: [testCase.file], output: output)
        try output.commit()
        return (try Data(contentsOf: URL(fileURLWithPath: path)), result.files[0])
    }

    @Test(arguments: cases)
    func twoWorkersWriteWhatOneWrites(_ testCase: Case) throws {
        let directory = try TemporaryDirectory()
        let (single, singleReport) = try run(testCase, workers: 1, directory: directory)
        let (parallel, parallelReport) = try run(testCase, workers: 2, directory: directory)
        #expect(parallel == single)
        #expect(!single.isEmpty)
        #expect(parallelReport.lines == singleReport.lines)
        #expect(parallelReport.written == singleReport.written)
        #expect(parallelReport.scrubbed == singleReport.scrubbed)
        #expect(parallelReport.rejections == singleReport.rejections)
        #expect(parallelReport.fieldsChanged == singleReport.fieldsChanged)
        #expect(parallelReport.linesByPolicy == singleReport.linesByPolicy)
        #expect(parallelReport.error == singleReport.error)
    }

    /// CRLF line ends, blank lines, a line longer than the maximum across several chunks, and a last line
    /// without a newline: the reader copies runs of lines into batches, and these are its edges.
    @Test func crlfLongAndUnterminatedLinesCountAsOneThreadCounts() throws {
        let directory = try TemporaryDirectory()
        let sample = try String(contentsOfFile: Fixtures.path("elastic-head-200.log"), encoding: .utf8).split(separator: "\n")
        var text = ""
        for (index, line) in sample.enumerated() {
            text += line + "\r\n"
            if index == 50 { text += "\r\n\n" }
            if index == 120 { text += "GET /" + String(repeating: "x", count: 100_000) + "\r\n" }
        }
        text += sample[0]
        let input = try directory.write("edges.log", Array(text.utf8))
        let testCase = Case(file: input, format: "combined", policy: "music123-2003")
        let (single, singleReport) = try run(testCase, workers: 1, directory: directory)
        let (parallel, report) = try run(testCase, workers: 2, directory: directory, batchBytes: 1500)
        #expect(parallel == single)
        #expect(report.lines == 204 && report.written == singleReport.written && report.written == 201)
        #expect(report.rejections == singleReport.rejections)
        #expect(report.scrubbed == singleReport.scrubbed)
        #expect(single.filter { $0 == 0x0A }.count == report.written + report.scrubbed)
    }

    /// One worker reads each chunk's lines where they are, and a line that crossed chunks alone, from the splitter's
    /// carry: with chunks smaller than a line (61 bytes: nearly every line crosses one, a `\r\n` is cut in two) and
    /// larger, it writes and counts what two workers write from copied batches.
    @Test(arguments: [61, 1000, 8 * 1024])
    func oneWorkerInPlaceWritesWhatCopiedBatchesWrite(chunkSize: Int) throws {
        let directory = try TemporaryDirectory()
        let sample = try String(contentsOfFile: Fixtures.path("elastic-head-200.log"), encoding: .utf8).split(separator: "\n")
        var text = ""
        for (index, line) in sample.enumerated() {
            text += line + (index % 3 == 0 ? "\r\n" : "\n")
            if index == 10 { text += "\n\r\n" }
            if index == 90 { text += "GET /" + String(repeating: "x", count: 70_000) + "\n" }
            if index == 150 { text += "not a log line\n" }
        }
        text += sample[0]
        let input = try directory.write("chunks.log", Array(text.utf8))
        let testCase = Case(file: input, format: "combined", policy: "music123-2003")
        let (single, singleReport) = try run(testCase, workers: 1, directory: directory, chunkSize: chunkSize)
        let (parallel, report) = try run(testCase, workers: 2, directory: directory, batchBytes: 2000, chunkSize: 4096)
        #expect(single == parallel)
        #expect(singleReport.lines == 205 && singleReport.written == 201)
        #expect(singleReport.rejections == report.rejections && singleReport.scrubbed == report.scrubbed)
        #expect(singleReport.rejections.sorted.map(\.reason) == [.emptyLine, .formatMismatch, .lineTooLong])
        #expect(singleReport.rejections.sorted.map(\.firstLines) == [[12, 13], [155], [94]])
    }

    @Test func manyBatchesStayInOrder() throws {
        // 3,000 distinct lines, more than fit in the batches in flight at once.
        let directory = try TemporaryDirectory()
        var text = ""
        for index in 0..<3_000 {
            text += "192.0.\(index / 256 % 256).\(index % 256) - - [17/May/2015:10:05:03 +0000] \"GET /page/\(index) HTTP/1.1\" 200 \(index) \"-\" \"agent \(String(repeating: "x", count: 200))\"\n"
        }
        let input = try directory.write("many.log", text)
        let testCase = Case(file: input, format: "combined", policy: "123together-2003")
        let (single, _) = try run(testCase, workers: 1, directory: directory)
        // 1 KiB batches: hundreds of them, far more than the six in flight.
        let (parallel, report) = try run(testCase, workers: 2, directory: directory, batchBytes: 1024)
        #expect(report.written == 3_000)
        #expect(parallel == single)
        let lines = String(decoding: parallel, as: UTF8.self).split(separator: "\n")
        #expect(lines[2999].contains("GET /page/2999 "))
    }
}

/// Statistics of batches parsed by several workers and counted in order by the aggregator must equal one thread's.
@Suite struct ParallelStatsTests {
    static func stats(_ file: String, rules: String, site: String, timeZone: StatsTimeZone, workers: Int,
                      directory: TemporaryDirectory, chunkSize: Int = 4096) throws -> ([DailyRow], [BreakdownRow], PassFileReport) {
        let set = try RulesLoader.load(directory: rules)
        let keys = try KeyStore(directory: directory.path("keys"))
        var runner = PassRunner(scan: ScanOptions(chunkSize: chunkSize), choice: try PolicyChoice(set: set, site: site),
                                pool: PseudonymizerPool(keys: keys))
        runner.statsSinks = StatsSinks(sqlite: directory.path("stats-\(workers)-\(chunkSize).sqlite"))
        runner.timeZone = timeZone
        runner.workers = workers
        runner.batchBytes = 700
        let result = try runner.run(files: [file], output: nil)
        let store = try StatsStore(path: directory.path("stats-\(workers)-\(chunkSize).sqlite"))
        return (try store.daily(), try store.breakdown(), result.files[0])
    }

    @Test(arguments: [
        (Fixtures.path("stats/visits.log"), "stats.test", "UTC"),
        (Fixtures.path("stats/ipv6-malformed.log"), "internal.test", "+01:00"),
        (Fixtures.realLog("advertools-latin1-gzip-tail-200.log"), "internal.test", "UTC"),
        (Fixtures.realLog("elastic-apache-combined-10k.log.gz"), "stats.test", "UTC"),
    ])
    func parallelWorkersCountWhatOneCounts(file: String, site: String, zone: String) throws {
        let directory = try TemporaryDirectory()
        let rules = Fixtures.path("rules-stats")
        let (singleDaily, singleRows, singleReport) = try Self.stats(file, rules: rules, site: site, timeZone: StatsTimeZone(zone)!,
                                                                    workers: 1, directory: directory)
        #expect(!singleDaily.isEmpty)
        for workers in [2, 3] {
            let (daily, rows, report) = try Self.stats(file, rules: rules, site: site, timeZone: StatsTimeZone(zone)!,
                                                       workers: workers, directory: directory)
            #expect(daily == singleDaily, "\(workers) workers")
            #expect(rows == singleRows, "\(workers) workers")
            #expect(report.rejections == singleReport.rejections)
            #expect(report.written == singleReport.written)
        }
    }

    /// One worker counts the lines of each chunk where they are (the aggregator reads them before the chunk goes):
    /// with 61-byte chunks, nearly every line crossing one, it counts what copied batches count.
    @Test func oneWorkerCountsInPlaceWhatCopiedBatchesCount() throws {
        let directory = try TemporaryDirectory()
        let file = Fixtures.realLog("elastic-apache-combined-10k.log.gz")
        let rules = Fixtures.path("rules-stats")
        let (daily, rows, report) = try Self.stats(file, rules: rules, site: "stats.test", timeZone: .utc, workers: 1,
                                                   directory: directory, chunkSize: 61)
        let (copiedDaily, copiedRows, copiedReport) = try Self.stats(file, rules: rules, site: "stats.test", timeZone: .utc, workers: 2,
                                                                     directory: directory)
        #expect(daily == copiedDaily && rows == copiedRows)
        #expect(daily.map(\.requests).reduce(0, +) == 9_999 && daily.map(\.failed).reduce(0, +) == 1)
        #expect(report.lines == 10_000 && copiedReport.lines == 10_000)
    }

    /// The aggregator's failure (no key store for visitor codes) fails the run and stores nothing, as one thread does.
    @Test(arguments: [1, 2])
    func anAggregatorFailureFailsTheRun(workers: Int) throws {
        let directory = try TemporaryDirectory()
        let set = try RulesLoader.load(directory: Fixtures.path("rules-stats"))
        var runner = PassRunner(scan: ScanOptions(chunkSize: 4096), choice: try PolicyChoice(set: set, site: "stats.test"),
                                pool: PseudonymizerPool(keys: nil))
        runner.statsSinks = StatsSinks(sqlite: directory.path("s.sqlite"))
        runner.workers = workers
        runner.batchBytes = 700
        #expect(throws: PseudonymizerPool.PoolError.self) { try runner.run(files: [Fixtures.path("stats/visits.log")], output: nil) }
        #expect(try StatsStore(path: directory.path("s.sqlite")).daily().isEmpty)
    }

    /// A pass that only writes lines takes larger batches (its hand-offs weigh most); one that counts statistics
    /// (its batches' bytes go on to the aggregator too) or writes nothing takes the small ones.
    @Test func aPassThatOnlyWritesLinesTakesTheLargerBatches() {
        #expect(PassEngineDefaults.batchBytes(writesLines: true, countsStatistics: false) == 384 * 1024)
        #expect(PassEngineDefaults.batchBytes(writesLines: true, countsStatistics: true) == 128 * 1024)
        #expect(PassEngineDefaults.batchBytes(writesLines: false, countsStatistics: true) == 128 * 1024)
    }
}
