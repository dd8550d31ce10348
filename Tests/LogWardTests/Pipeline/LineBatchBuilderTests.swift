import Foundation
import Testing
import LogWard
@testable import LogWardInput
@testable import LogWardPipeline

/// What a batch holds of the lines handed to it: a chunk's consecutive lines as one run, and a line from the
/// splitter's carry (one that crossed chunks, or the last without its newline) copied as it comes, since its bytes
/// go when the call returns.
@Suite struct LineBatchBuilderTests {
    @Test func aCarriedLineIsCopiedBeforeItsBufferIsReused() {
        let chunk = Array("one\ntwo\nthree\n".utf8)
        var carry = Array("carried".utf8)
        var builder = LineBatchBuilder(batchBytes: 1 << 20)
        let batch = chunk.withUnsafeBytes { chunkBytes -> LineBatch in
            builder.startChunk(chunkBytes)
            func line(_ range: Range<Int>, _ number: Int) -> LineEvent {
                .line(UnsafeRawBufferPointer(rebasing: chunkBytes[range]), LinePosition(number: number, offset: Int64(range.lowerBound)))
            }
            _ = builder.collect(line(0..<3, 1))
            carry.withUnsafeBytes { _ = builder.collect(.line($0, LinePosition(number: 2, offset: 4))) }
            // The splitter reuses its carry for the next line: what the batch took must not change with it.
            for index in carry.indices { carry[index] = UInt8(ascii: "X") }
            _ = builder.collect(line(4..<7, 3))
            _ = builder.collect(line(8..<13, 4))
            carry = Array("last".utf8)
            carry.withUnsafeBytes { _ = builder.collect(.line($0, LinePosition(number: 5, offset: 14))) }
            for index in carry.indices { carry[index] = UInt8(ascii: "Y") }
            return builder.takeBatch()
        }
        let lines = batch.entries.map { String(decoding: batch.bytes[$0.range], as: UTF8.self) }
        #expect(lines == ["one", "carried", "two", "three", "last"])
        #expect(batch.entries.map(\.position.number) == [1, 2, 3, 4, 5])
    }
}
