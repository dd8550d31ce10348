import Foundation
import Testing
import LogWard

/// Every case runs with both gzip libraries: ISA-L (the default) and zlib (the reference).
@Suite struct GzipInputTests {
    static let plain = Fixtures.path("elastic-head-200.log")

    static func options(_ codec: GzipCodec, readAhead: Bool = true, chunkSize: Int = ChunkStream.defaultChunkSize) -> ScanOptions {
        var options = ScanOptions(readAhead: readAhead, chunkSize: chunkSize)
        options.codec = codec
        return options
    }

    @Test(arguments: GzipCodec.allCases)
    func singleMemberGzipGivesTheSameRecordsAsThePlainFile(codec: GzipCodec) {
        let (plain, plainOutcome) = LogScanner.record(Self.plain)
        let (gzip, gzipOutcome) = LogScanner.record(Fixtures.path("elastic-head-200.log.gz"), Self.options(codec))
        #expect(plainOutcome.lines == 200)
        #expect(plain.parsed.count == 200)
        #expect(gzip.parsed == plain.parsed)
        #expect(gzipOutcome.error == nil)
        #expect(gzipOutcome.decodedBytes == plainOutcome.decodedBytes)
    }

    @Test(arguments: GzipCodec.allCases)
    func multiMemberGzipIsReadMemberAfterMember(codec: GzipCodec) {
        // Two members: lines 1-120 and 121-200, as `cat a.gz b.gz` makes.
        let (plain, _) = LogScanner.record(Self.plain)
        let (multi, outcome) = LogScanner.record(Fixtures.path("elastic-head-200-multi-member.log.gz"), Self.options(codec))
        #expect(outcome.error == nil)
        #expect(outcome.lines == 200)
        #expect(multi.parsed == plain.parsed)
    }

    @Test(arguments: [true, false], GzipCodec.allCases)
    func truncatedGzipNamesTheOffsetAndCountsEveryLineBeforeIt(readAhead: Bool, codec: GzipCodec) throws {
        let path = Fixtures.path("elastic-head-200-truncated.log.gz")
        let size = try #require(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
        let (handler, outcome) = LogScanner.record(path, Self.options(codec, readAhead: readAhead))
        #expect(outcome.error == .truncated(path: path, offset: Int64(size)))
        // zcat recovers 78 whole lines from this half file; the 79th is cut and must not pass as a record.
        #expect(handler.parsed.count == 78)
        #expect(handler.rejected.map(\.reason) == [.truncatedInput])
        #expect(handler.rejected.map(\.line) == [79])
        #expect(outcome.lines == 79)
    }

    @Test(arguments: GzipCodec.allCases)
    func badCRCIsCorruptAfterAllLinesWereRead(codec: GzipCodec) throws {
        let path = Fixtures.path("elastic-head-200-bad-crc.log.gz")
        let (handler, outcome) = LogScanner.record(path, Self.options(codec))
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

    /// Each library reads what the other writes, at every level, multi-member and line-flushed output included,
    /// and gives back exactly the bytes written.
    @Test(arguments: GzipCodec.allCases, GzipCodec.allCases)
    func whatOneLibraryWritesTheOtherReadsByteForByte(writer: GzipCodec, reader: GzipCodec) throws {
        let directory = try TemporaryDirectory()
        let original = try Data(contentsOf: URL(fileURLWithPath: Self.plain))
        for level in [1, 3, 5, 6, 9] as [Int32] {
            let path = directory.path("out-\(level).log.gz")
            var options = LogOutput.Options()
            options.codec = writer
            options.compressionLevel = level
            options.lineBuffered = level == 9
            let output = try LogOutput(path: path, options: options)
            let lines = original.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).dropLast()
            for line in lines { try try output.writeLine(Array(line).span) }
            try output.commit()
            // A second member appended, as `cat a.gz b.gz` makes.
            var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
            bytes += bytes
            try bytes.write(to: URL(fileURLWithPath: path))
            let source = try LogSource.open(path, codec: reader)
            var decoded = Data()
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1000, alignment: 1)
            defer { buffer.deallocate() }
            while case let count = try source.fill(buffer), count > 0 { decoded += Data(buffer[..<count]) }
            #expect(decoded == original + original, "level \(level)")
        }
    }

    @Test(arguments: GzipCodec.allCases)
    func garbageAfterAGzipMemberIsCorrupt(codec: GzipCodec) throws {
        let directory = try TemporaryDirectory()
        var bytes = Array(try Data(contentsOf: URL(fileURLWithPath: Fixtures.path("elastic-head-200.log.gz"))))
        let memberSize = bytes.count
        bytes += Array("not gzip\n".utf8)
        let path = try directory.write("junk-tail.gz", bytes)
        let (handler, outcome) = LogScanner.record(path, Self.options(codec))
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

    @Test(arguments: GzipCodec.allCases)
    func readAheadAndInlineReadingSeeTheSameBytes(codec: GzipCodec) {
        for path in [Self.plain, Fixtures.path("elastic-head-200-multi-member.log.gz")] {
            // Small chunks force many hand-overs between the two threads.
            let (threaded, _) = LogScanner.record(path, Self.options(codec, readAhead: true, chunkSize: 333))
            let (inline, _) = LogScanner.record(path, Self.options(codec, readAhead: false, chunkSize: 4096))
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
