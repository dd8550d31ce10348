import Testing
import LogWard

@Suite struct LineSplitterTests {
    enum Seen: Equatable {
        case line(String, number: Int, offset: Int64)
        case tooLong(length: Int64, number: Int)
        case truncated(length: Int, number: Int)
    }

    static func split(_ input: [UInt8], chunkSize: Int, maximum: Int = 64, truncated: Bool = false) -> [Seen] {
        var splitter = LineSplitter(maximumLineLength: maximum)
        var seen: [Seen] = []
        func record(_ event: LineEvent) {
            switch event {
            case .line(let bytes, let position):
                seen.append(.line(String(decoding: bytes, as: UTF8.self), number: position.number, offset: position.offset))
            case .tooLong(let length, let position):
                seen.append(.tooLong(length: length, number: position.number))
            case .truncated(let length, let position):
                seen.append(.truncated(length: length, number: position.number))
            }
        }
        input.withUnsafeBytes { all in
            var start = 0
            while start < all.count {
                let end = min(start + chunkSize, all.count)
                splitter.feed(UnsafeRawBufferPointer(rebasing: all[start..<end]), record)
                start = end
            }
        }
        if truncated { splitter.finishTruncated(record) } else { splitter.finish(record) }
        return seen
    }

    static let input = Array("first\nsecond\r\n\nlast without newline".utf8)
    static let expected: [Seen] = [
        .line("first", number: 1, offset: 0),
        .line("second", number: 2, offset: 6),
        .line("", number: 3, offset: 14),
        .line("last without newline", number: 4, offset: 15),
    ]

    @Test(arguments: 1...Self.input.count)
    func everyChunkBoundaryGivesTheSameLines(chunkSize: Int) {
        #expect(Self.split(Self.input, chunkSize: chunkSize) == Self.expected)
    }

    @Test(arguments: [1, 3, 7, 64, 4096])
    func overLongLinesAreSkippedAndTheNextLineSurvives(chunkSize: Int) {
        let long = String(repeating: "x", count: 100)
        let input = Array("ok\n\(long)\nafter\n\(long)".utf8)
        #expect(Self.split(input, chunkSize: chunkSize, maximum: 10) == [
            .line("ok", number: 1, offset: 0),
            .tooLong(length: 100, number: 2),
            .line("after", number: 3, offset: 104),
            .tooLong(length: 100, number: 4),
        ])
    }

    @Test func aLineOfExactlyTheMaximumPassesAndACarriageReturnDoesNotCount() {
        let input = Array("0123456789\r\n01234567890\n".utf8)
        #expect(Self.split(input, chunkSize: 4, maximum: 10) == [
            .line("0123456789", number: 1, offset: 0),
            .tooLong(length: 11, number: 2),
        ])
    }

    /// A bare carriage return ends a line (old Mac line ends), so a record after one is never hidden inside the
    /// last field of the record before it; `\r\n` stays one line end.
    @Test(arguments: [1, 3, 64])
    func aBareCarriageReturnEndsALine(chunkSize: Int) {
        let input = Array("first \"UA\"\r10.20.30.40 bob\r\nthird\rfourth".utf8)
        #expect(Self.split(input, chunkSize: chunkSize, maximum: 64) == [
            .line("first \"UA\"", number: 1, offset: 0),
            .line("10.20.30.40 bob", number: 2, offset: 11),
            .line("third", number: 3, offset: 28),
            .line("fourth", number: 4, offset: 34),
        ])
    }

    /// Old Mac line ends over many chunks: 3,000 lines, 150 KiB with no `\n` at all, are 3,000 lines (not one
    /// over-long line), and a `\r\n` split between two chunks is one line end.
    @Test(arguments: [7, 4096, 65536])
    func aFileOfCarriageReturnsIsReadLineByLine(chunkSize: Int) {
        var input: [UInt8] = []
        for index in 0..<3_000 { input += Array("line \(index) ".utf8) + Array(repeating: UInt8(ascii: "x"), count: 40) + [0x0D] }
        let events = Self.split(input, chunkSize: chunkSize, maximum: 1024)
        #expect(events.count == 3_000)
        #expect(events.last == .line("line 2999 " + String(repeating: "x", count: 40), number: 3_000, offset: Int64(input.count - 51)))
        let crlf = Array("ab\r\ncd\r\n".utf8)
        #expect(Self.split(crlf, chunkSize: 3, maximum: 64) == [.line("ab", number: 1, offset: 0), .line("cd", number: 2, offset: 4)])
    }

    @Test func anInputCutByAnErrorReportsItsLastLineAsTruncated() {
        let input = Array("whole\nhal".utf8)
        #expect(Self.split(input, chunkSize: 2, truncated: true) == [
            .line("whole", number: 1, offset: 0),
            .truncated(length: 3, number: 2),
        ])
    }
}
