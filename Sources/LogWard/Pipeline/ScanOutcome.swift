import LogWardOutput
/// How reading one input ended.
public struct ScanOutcome: Sendable, Equatable {
    public var lines: Int
    /// Bytes read from the file (compressed size for gzip).
    public var inputBytes: Int64
    /// Decoded bytes handed to the splitter.
    public var decodedBytes: Int64
    /// Set when the input could not be read to its end; every line before the error was still handled.
    public var error: InputError?
    /// SHA-256 of the file's raw bytes, computed while reading (identifies the file in the stats and ledger).
    public var sha256: String = ""
}
