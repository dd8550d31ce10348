import Foundation
import Testing
@testable import LogWard

/// What `DescriptorSink` hands to write(2): small writes gathered in its buffer, a batch's worth written as it is
/// (after what the buffer held), every byte in order.
@Suite struct DescriptorSinkTests {
    @Test func largeWritesGoStraightToTheFileAfterWhatWasBuffered() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("out.log")
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        #expect(descriptor >= 0)
        defer { close(descriptor) }
        let sink = DescriptorSink(descriptor: descriptor, path: path, bufferSize: 1_000)
        let bytes = (0..<6_000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        func fileSize() throws -> Int { try Data(contentsOf: URL(fileURLWithPath: path)).count }

        try bytes[0..<100].withUnsafeBytes { try sink.write($0) }
        #expect(try fileSize() == 0)  // gathered
        try bytes[100..<350].withUnsafeBytes { try sink.write($0) }
        #expect(try fileSize() == 350)  // a quarter of the buffer or more: the buffer, then it, at once
        try bytes[350..<500].withUnsafeBytes { try sink.write($0) }
        try bytes[500..<1_400].withUnsafeBytes { try sink.write($0) }
        #expect(try fileSize() == 1_400)
        try bytes[1_400..<1_449].withUnsafeBytes { try sink.write($0) }
        try bytes[1_449..<6_000].withUnsafeBytes { try sink.write($0) }
        try bytes[6_000...].withUnsafeBytes { try sink.write($0) }
        try sink.finish()

        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == Data(bytes))
        #expect(sink.bytesWritten == 6_000)
    }
}
