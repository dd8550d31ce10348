import LogWardAggregate
/// Where anonymized lines are written, one at a time.
package protocol LineSink: AnyObject {
    /// `line` excludes the newline.
    func writeLine(_ line: Span<UInt8>) throws
}

extension LogOutput: LineSink {}
