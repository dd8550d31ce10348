import LogWardOutput
/// How inputs are read and parsed.
public struct ScanOptions: Sendable {
    public var format: LogFormat
    public var maximumLineLength: Int
    /// Inflate on a second thread while this one parses. Output is the same either way.
    public var readAhead: Bool
    public var chunkSize: Int
    /// Compute the SHA-256 of each input while reading it (statistics identify files by it).
    public var identifyInputs = false
    /// What inflates gzip input.
    public var codec = GzipCodec.preferred

    public init(
        format: LogFormat = .combined,
        maximumLineLength: Int = LineSplitter.defaultMaximumLineLength,
        readAhead: Bool = true,
        chunkSize: Int = ChunkStream.defaultChunkSize
    ) {
        self.format = format
        self.maximumLineLength = maximumLineLength
        self.readAhead = readAhead
        self.chunkSize = chunkSize
    }
}
