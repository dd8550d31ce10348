import LogWardAggregate
/// Where finished bytes go: a file descriptor, a compressor, a thread that compresses.
package protocol ByteSink: AnyObject {
    func write(_ bytes: UnsafeRawBufferPointer) throws
    /// Pushes everything written so far to the file descriptor (a pipe reader sees it).
    func flush() throws
    /// Ends the stream (gzip trailer) and flushes; no write may follow.
    func finish() throws
}

extension ByteSink {
    /// `text`'s UTF-8 bytes (a report, an export).
    func write(_ text: String) throws {
        var text = text
        try text.withUTF8 { try write(UnsafeRawBufferPointer($0)) }
    }
}
