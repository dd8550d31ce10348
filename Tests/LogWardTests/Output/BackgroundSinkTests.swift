import Foundation
import Testing
@testable import LogWard

/// What reaches the downstream sink through `BackgroundSink`'s thread: every byte in order, across slot boundaries,
/// the flushes between them, and the downstream's failure thrown to the writer.
@Suite struct BackgroundSinkTests {
    final class MemorySink: ByteSink {
        var bytes: [UInt8] = []
        var events: [String] = []
        var failAfter: Int?
        struct Full: Error {}

        func write(_ bytes: UnsafeRawBufferPointer) throws {
            if let failAfter, self.bytes.count + bytes.count > failAfter { throw Full() }
            self.bytes.append(contentsOf: bytes)
        }
        func flush() throws { events.append("flush at \(bytes.count)") }
        func finish() throws { events.append("finish at \(bytes.count)") }
    }

    @Test func aBackgroundSinkDeliversEveryByteInOrder() throws {
        let downstream = MemorySink()
        let sink = BackgroundSink(downstream: downstream, bufferSize: 100)
        let expected = (0..<5_000).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        try expected[..<1_234].withUnsafeBytes { try sink.write($0) }
        try sink.flush()
        try expected[1_234...].withUnsafeBytes { try sink.write($0) }
        try sink.finish()
        #expect(downstream.bytes == expected)
        #expect(downstream.events == ["flush at 1234", "finish at 5000"])
    }

    @Test func aBackgroundSinkThrowsTheDownstreamFailure() {
        let downstream = MemorySink()
        downstream.failAfter = 250
        let sink = BackgroundSink(downstream: downstream, bufferSize: 100)
        let bytes = [UInt8](repeating: 0x61, count: 10_000)
        #expect(throws: MemorySink.Full.self) {
            try bytes.withUnsafeBytes { try sink.write($0) }
            try sink.finish()
        }
        #expect(downstream.bytes.count == 200)
    }
}
