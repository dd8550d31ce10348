import LogWardAggregate
/// Where anonymized lines go: stdout, or a file committed atomically; gzip when the name ends in `.gz`.
public final class LogOutput {
    public struct Options: Sendable {
        /// zlib level 1-9 for `.gz` output (6, like gzip and logrotate); with ISA-L, the igzip level it stands for
        /// (`GzipCodec.isalLevel`).
        public var compressionLevel: Int32 = GzipSink.defaultLevel
        /// What deflates `.gz` output.
        public var codec = GzipCodec.preferred
        /// Flush after every line, for a pipe from the web server: each line reaches the reader at once.
        public var lineBuffered = false
        /// Compress on a second thread.
        public var backgroundCompression = true

        public init() {}
    }

    public let path: String
    private let file: AtomicFile?
    private let sink: any ByteSink
    private let options: Options
    public var isLineBuffered: Bool { options.lineBuffered }

    /// `path` nil or `-` writes to stdout.
    public init(path: String?, options: Options = Options()) throws {
        self.options = options
        let descriptorSink: DescriptorSink
        if let path, path != "-" {
            self.path = path
            let file = try AtomicFile(path: path)
            self.file = file
            descriptorSink = DescriptorSink(descriptor: file.descriptor, path: path)
        } else {
            self.path = "-"
            file = nil
            descriptorSink = DescriptorSink(descriptor: STDOUT_FILENO, path: "stdout")
        }
        if self.path.hasSuffix(".gz") {
            let gzip: any ByteSink = switch options.codec {
            case .zlib: try GzipSink(downstream: descriptorSink, path: self.path, level: options.compressionLevel)
            case .isal: IsalGzipSink(downstream: descriptorSink, path: self.path, isalLevel: GzipCodec.isalLevel(options.compressionLevel))
            }
            sink = options.backgroundCompression && !options.lineBuffered ? BackgroundSink(downstream: gzip) : gzip
        } else {
            sink = descriptorSink
        }
    }

    /// Writes one line; `line` excludes the newline.
    package func writeLine(_ line: Span<UInt8>) throws {
        try line.withUnsafeBytes { try sink.write($0) }
        try withUnsafeBytes(of: UInt8(ascii: "\n")) { try sink.write($0) }
        if options.lineBuffered { try sink.flush() }
    }

    /// Writes bytes that are already whole lines with their newlines (a batch).
    package func writeRaw(_ lines: Span<UInt8>) throws {
        try lines.withUnsafeBytes { try sink.write($0) }
        if options.lineBuffered { try sink.flush() }
    }

    /// Ends the output: the gzip trailer, fsync and rename for a file, a flush for stdout.
    public func commit() throws {
        do {
            try sink.finish()
            try file?.commit()
        } catch {
            file?.discard()
            throw error
        }
    }

    /// Drops a file output that must not be seen (the run failed).
    public func discard() {
        // Stop the writer thread first, so nothing is written after the descriptor is closed.
        try? sink.finish()
        file?.discard()
    }
}
