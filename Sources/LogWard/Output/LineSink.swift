/// Where anonymized lines are written, one at a time.
public protocol LineSink: AnyObject {
    /// `line` excludes the newline.
    func writeLine(_ line: UnsafeRawBufferPointer) throws
}

extension LogOutput: LineSink {}

/// Collects one batch's lines in memory, so a worker can anonymize while the batches before it are written.
final class BatchOutput: LineSink {
    /// One worker owns it: no dynamic exclusivity check per line. Reused batch after batch.
    @exclusivity(unchecked) var buffer = LineBuffer(capacity: 1 << 20)

    func writeLine(_ line: UnsafeRawBufferPointer) throws {
        buffer.appendBytes(line)
        buffer.append(UInt8(ascii: "\n"))
    }

    /// The batch's lines, and an empty buffer for the next batch.
    func takeBytes() -> [UInt8] {
        defer { buffer.removeAll() }
        return buffer.withUnsafeBytes { Array($0) }
    }
}
