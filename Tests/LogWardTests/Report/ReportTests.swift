import Foundation
import Testing
import LogWard

/// What reports say about a file's lines: every line accounted for, rejections with their first line numbers.
@Suite struct ReportTests {
    /// A later part of one input (a worker's batch) continues the first line numbers in order, at most five; another
    /// file's tally adds its counts only; the reasons are listed by count, then by name.
    @Test func tallyAppendsPartsAndMergesFiles() {
        var tally = RejectionTally()
        for line in [3, 9] { tally.add(.badStatus, line: line) }
        var later = RejectionTally()
        for line in [12, 15, 20, 31] { later.add(.badStatus, line: line) }
        later.add(.emptyLine, line: 40)
        tally.append(later)
        #expect(tally.sorted == [RejectionTally.Entry(reason: .badStatus, count: 6, firstLines: [3, 9, 12, 15, 20]),
                                 RejectionTally.Entry(reason: .emptyLine, count: 1, firstLines: [40])])
        var otherFile = RejectionTally()
        otherFile.add(.emptyLine, line: 1)
        otherFile.add(.emptyLine, line: 2)
        tally.merge(otherFile)
        #expect(tally.count(.emptyLine) == 3)
        #expect(tally.sorted.first { $0.reason == .emptyLine }?.firstLines == [40])
        #expect(tally.total == 9)
    }

    /// `check`'s collector over a small vhost log through the one read loop: every line counted as parsed or
    /// rejected (by reason and line), the time span, the sites by name, and a line cut off by the input's end.
    @Test func checkAccountsForEveryLine() throws {
        let directory = try TemporaryDirectory()
        let text = """
            a.example:80 192.0.2.1 - - [01/Mar/2024:10:00:00 +0000] "GET / HTTP/1.1" 200 5 "-" "curl/8"
            A.Example:80 192.0.2.2 - - [01/Mar/2024:09:00:00 +0000] "GET /x HTTP/1.1" 404 0 "-" "curl/8"

            b.example:80 192.0.2.3 - - [02/Mar/2024:11:00:00 +0000] "GET / HTTP/1.1" 2x0 5 "-" "curl/8"
            b.example:80 192.0.2.3 - - [02/Mar/2024:12:00:00 +0000] "GET / HTTP/1.1" 200 5 "-" "curl/8"
            """
        let path = try directory.write("vhost.log", text + "\n")
        let format = try LogFormat("vhost_combined")
        var collector = CheckCollector(path: path, format: format)
        let outcome = LogScanner.scan(path: path, options: ScanOptions(format: format), handler: &collector)
        let check = collector.finished(with: outcome)
        #expect(check.lines == 5)
        #expect(check.parsed == 3)
        #expect(check.rejections.sorted == [RejectionTally.Entry(reason: .badStatus, count: 1, firstLines: [4]),
                                            RejectionTally.Entry(reason: .emptyLine, count: 1, firstLines: [3])])
        #expect(check.parsed + check.rejected == check.lines)
        #expect(check.firstTime == 1_709_283_600 && check.lastTime == 1_709_380_800)
        #expect(check.sites == ["a.example": 2, "b.example": 1])
        #expect(check.error == nil)
    }
}
