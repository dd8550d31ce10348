import Testing
@testable import LogWard

/// Whole real logs from ../shared/logs, with the exact counts the parser must give.
@Suite struct RealLogTests {
    @Test func elasticCombinedLogParsesAllButTheCutOffLine() {
        let path = Fixtures.sharedLog("elastic-apache-combined-10k.log.gz")
        var collector = CheckCollector(path: path)
        let outcome = LogScanner.scan(path: path, options: ScanOptions(), handler: &collector)
        let check = collector.finished(with: outcome)
        #expect(check.lines == 10_000)
        #expect(check.parsed == 9_999)
        // Line 8899's user agent has no closing quote: the file was cut there by whoever exported it.
        #expect(check.rejections.sorted == [RejectionTally.Entry(reason: .unterminatedQuote, count: 1, firstLines: [8899])])
        #expect(check.error == nil)
        #expect(check.firstTime.map(Timestamp.iso8601UTC) == "2015-05-17T10:05:00Z")
        #expect(check.lastTime.map(Timestamp.iso8601UTC) == "2015-05-20T21:05:59Z")
    }

    @Test func erddapContinuationLinesAreRejectedNotParsed() {
        var total = FileCheck(path: "total")
        for part in 1...9 {
            let path = Fixtures.sharedLog("erddap-tomcat/tomcat-access.log.\(part).gz")
            var collector = CheckCollector(path: path)
            let outcome = LogScanner.scan(path: path, options: ScanOptions(), handler: &collector)
            total.merge(collector.finished(with: outcome))
        }
        #expect(total.lines == 16_275)
        #expect(total.parsed == 10_479)
        #expect(total.rejections.count(.badClientAddress) == 5_796)
    }

    @Test func gzipBytesAppendedToAPlainLogAreRejectedLineByLine() {
        let path = Fixtures.sharedLog("advertools-latin1-gzip-tail-200.log")
        var collector = CheckCollector(path: path)
        let outcome = LogScanner.scan(path: path, options: ScanOptions(), handler: &collector)
        let check = collector.finished(with: outcome)
        #expect(check.lines == 200)
        #expect(check.parsed == 169)
        #expect(check.rejected == 31)
    }
}
