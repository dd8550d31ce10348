import Foundation
import Testing
@testable import LogWard

@Suite struct GzipInputTests {
    static let plain = Fixtures.path("elastic-head-200.log")

    @Test func singleMemberGzipGivesTheSameRecordsAsThePlainFile() {
        let (plain, plainOutcome) = LogScanner.record(Self.plain)
        let (gzip, gzipOutcome) = LogScanner.record(Fixtures.path("elastic-head-200.log.gz"))
        #expect(plainOutcome.lines == 200)
        #expect(plain.parsed.count == 200)
        #expect(gzip.parsed == plain.parsed)
        #expect(gzipOutcome.error == nil)
        #expect(gzipOutcome.decodedBytes == plainOutcome.decodedBytes)
    }

    @Test func multiMemberGzipIsReadMemberAfterMember() {
        // Two members: lines 1-120 and 121-200, as `cat a.gz b.gz` makes.
        let (plain, _) = LogScanner.record(Self.plain)
        let (multi, outcome) = LogScanner.record(Fixtures.path("elastic-head-200-multi-member.log.gz"))
        #expect(outcome.error == nil)
        #expect(outcome.lines == 200)
        #expect(multi.parsed == plain.parsed)
    }

    @Test(arguments: [true, false])
    func truncatedGzipNamesTheOffsetAndCountsEveryLineBeforeIt(readAhead: Bool) throws {
        let path = Fixtures.path("elastic-head-200-truncated.log.gz")
        let size = try #require(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
        let (handler, outcome) = LogScanner.record(path, ScanOptions(readAhead: readAhead))
        #expect(outcome.error == .truncated(path: path, offset: Int64(size)))
        // zcat recovers 78 whole lines from this half file; the 79th is cut and must not pass as a record.
        #expect(handler.parsed.count == 78)
        #expect(handler.rejected.map(\.reason) == [.truncatedInput])
        #expect(handler.rejected.map(\.line) == [79])
        #expect(outcome.lines == 79)
    }

    @Test func badCRCIsCorruptAfterAllLinesWereRead() throws {
        let path = Fixtures.path("elastic-head-200-bad-crc.log.gz")
        let (handler, outcome) = LogScanner.record(path)
        let error = try #require(outcome.error)
        guard case .corrupt(let errorPath, let offset, let detail) = error else {
            Issue.record("expected corrupt, got \(error)")
            return
        }
        #expect(errorPath == path)
        #expect(detail == "incorrect data check")
        #expect(offset > 0)
        #expect(handler.parsed.count == 200)
        #expect(error.description.contains("compressed byte offset \(offset)"))
    }

    @Test func garbageAfterAGzipMemberIsCorrupt() throws {
        let directory = try TemporaryDirectory()
        var bytes = Array(try Data(contentsOf: URL(fileURLWithPath: Fixtures.path("elastic-head-200.log.gz"))))
        let memberSize = bytes.count
        bytes += Array("not gzip\n".utf8)
        let path = try directory.write("junk-tail.gz", bytes)
        let (handler, outcome) = LogScanner.record(path)
        #expect(handler.parsed.count == 200)
        guard case .corrupt(_, let offset, _)? = outcome.error else {
            Issue.record("expected corrupt, got \(String(describing: outcome.error))")
            return
        }
        #expect(offset >= Int64(memberSize))
    }

    @Test func emptyFileHasNoLines() throws {
        let directory = try TemporaryDirectory()
        let (handler, outcome) = LogScanner.record(try directory.write("empty.log", []))
        #expect(outcome.lines == 0)
        #expect(outcome.error == nil)
        #expect(handler.parsed.isEmpty && handler.rejected.isEmpty)
    }

    @Test func missingFileCannotBeOpened() {
        let (_, outcome) = LogScanner.record("/nonexistent/access.log")
        #expect(outcome.error == .cannotOpen(path: "/nonexistent/access.log", reason: "No such file or directory"))
        #expect(ExitStatus.for(outcome.error!) == .unreadableInput)
    }

    @Test func readAheadAndInlineReadingSeeTheSameBytes() {
        for path in [Self.plain, Fixtures.path("elastic-head-200-multi-member.log.gz")] {
            // Small chunks force many hand-overs between the two threads.
            let (threaded, _) = LogScanner.record(path, ScanOptions(readAhead: true, chunkSize: 333))
            let (inline, _) = LogScanner.record(path, ScanOptions(readAhead: false, chunkSize: 4096))
            #expect(threaded.parsed == inline.parsed)
            #expect(threaded.parsed.count == 200)
        }
    }
}

@Suite struct LongLineTests {
    @Test func aOneMebibyteLineIsRejectedAndTheLinesAroundItParse() throws {
        let directory = try TemporaryDirectory()
        let good = #"192.0.2.1 - - [17/May/2015:10:05:03 +0000] "GET / HTTP/1.1" 200 12 "-" "curl/8""#
        var bytes = Array((good + "\n").utf8)
        bytes += Array(repeating: UInt8(ascii: "a"), count: 1 << 20) + [0x0A]
        bytes += Array((good + "\r\n").utf8)
        let path = try directory.write("long.log", bytes)
        for readAhead in [true, false] {
            let (handler, outcome) = LogScanner.record(path, ScanOptions(readAhead: readAhead, chunkSize: 64 * 1024))
            #expect(outcome.lines == 3)
            #expect(handler.parsed.map(\.line) == [1, 3])
            #expect(handler.rejected.map(\.reason) == [.lineTooLong])
            #expect(handler.rejected.map(\.line) == [2])
        }
        // With a larger maximum the same line is read whole, and fails on its content instead.
        let (handler, _) = LogScanner.record(path, ScanOptions(maximumLineLength: 2 << 20))
        #expect(handler.rejected.map(\.reason) == [.formatMismatch])
    }
}
