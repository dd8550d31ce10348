/// Where anonymized lines are written, one at a time.
public protocol LineSink: AnyObject {
    /// `line` excludes the newline.
    func writeLine(_ line: UnsafeRawBufferPointer) throws
}

extension LogOutput: LineSink {}

/// Collects one batch's lines in memory, so a worker can anonymize while the batches before it are written.
final class BatchOutput: LineSink {
    /// One worker owns it: no dynamic exclusivity check per line.
    @exclusivity(unchecked) var bytes: [UInt8] = []

    func writeLine(_ line: UnsafeRawBufferPointer) throws {
        bytes.appendBytes(line)
        bytes.append(UInt8(ascii: "\n"))
    }
}
