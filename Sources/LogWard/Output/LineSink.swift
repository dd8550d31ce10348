import LogWardAggregate
/// Where anonymized lines are written, one at a time.
public protocol LineSink: AnyObject {
    /// `line` excludes the newline.
    func writeLine(_ line: UnsafeRawBufferPointer) throws
}

extension LogOutput: LineSink {}
