import Testing
import LogWard

/// Whole real logs (fixtures/logs), with the exact counts the parser must give.
@Suite struct RealLogTests {
    static func check(_ path: String) -> FileCheck {
        var collector = CheckCollector(path: path)
        let outcome = LogScanner.scan(path: path, options: ScanOptions(), handler: &collector)
        return collector.finished(with: outcome)
    }

    @Test func elasticCombinedLogParsesAllButTheCutOffLine() {
        let check = Self.check(Fixtures.realLog("elastic-apache-combined-10k.log.gz"))
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
            total.merge(Self.check(Fixtures.realLog("erddap-tomcat/tomcat-access.log.\(part).gz")))
        }
        #expect(total.lines == 16_275)
        #expect(total.parsed == 10_479)
        #expect(total.rejections.count(.badClientAddress) == 5_796)
    }

    @Test func gzipBytesAppendedToAPlainLogAreRejectedLineByLine() {
        let check = Self.check(Fixtures.realLog("advertools-latin1-gzip-tail-200.log"))
        // The gzip bytes hold bare carriage returns, each of which ends a line: 21 more (rejected) lines than
        // newlines, and not one more parsed.
        #expect(check.lines == 221)
        #expect(check.parsed == 169)
        #expect(check.rejected == 52)
    }
}
