import Foundation
import Testing
@testable import LogWardInput

/// A pass's workers parse chunks where the stream put them (`keepCurrent`): a kept chunk's bytes stay as they were
/// while later chunks are read, with or without the read-ahead thread, and the stream still gives every byte in order.
@Suite struct ChunkStreamTests {
    @Test(arguments: [true, false])
    func keptChunksKeepTheirBytesWhileLaterChunksAreRead(readAhead: Bool) throws {
        let path = Fixtures.path("elastic-head-200.log")
        let expected = try Array(Data(contentsOf: URL(fileURLWithPath: path)))
        // 1,000-byte chunks with four kept besides the current one: the ring has eight slots of 500 bytes.
        let stream = ChunkStream(source: try LogSource.open(path), chunkSize: 1000, readAhead: readAhead, keptChunks: 4)
        var kept: [(lease: BufferLease, copy: [UInt8])] = []
        var all: [UInt8] = []
        var chunks = 0
        while let chunk = try stream.next() {
            chunks += 1
            all += chunk
            // Every other chunk is kept; at three kept, the two oldest are let go, now and then the newer one first
            // (workers finish in any order). The stream reads on as long as it is at most four chunks past the
            // oldest kept one.
            if chunks % 2 == 0 {
                let lease = stream.keepCurrent()
                #expect(lease.bytes.elementsEqual(chunk))
                kept.append((lease, Array(chunk)))
            }
            if kept.count == 3 {
                for index in chunks % 3 == 0 ? [1, 0] : [0, 0] {
                    #expect(Array(kept[index].lease.bytes) == kept[index].copy, "kept chunk overwritten")
                    kept.remove(at: index)
                }
            }
        }
        for item in kept { #expect(Array(item.lease.bytes) == item.copy) }
        #expect(all == expected)
        #expect(chunks > 50)
        #expect(all.count <= chunks * 500)
    }
}
