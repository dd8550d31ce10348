import LogWardThreads
/// Fills buffers with the decoded bytes of one input, in order. A return of 0 means the input ended cleanly.
public protocol ChunkSource: AnyObject {
    var path: String { get }
    /// Compressed (or plain) bytes consumed so far, for offsets in messages and reports.
    var inputOffset: Int64 { get }
    /// Hex SHA-256 of the raw (compressed) bytes read so far.
    var sha256: String { get }
    func fill(_ buffer: UnsafeMutableRawBufferPointer) throws -> Int
}

/// Opens a log by its content, not its name: gzip magic bytes select the inflater, anything else is read as is.
public enum LogSource {
    public static let gzipMagic: [UInt8] = [0x1f, 0x8b]

    /// `identify` computes the SHA-256 of the raw bytes while reading (for the statistics' file identity);
    /// `codec` inflates gzip input.
    public static func open(_ path: String, identify: Bool = false, codec: GzipCodec = .preferred) throws -> any ChunkSource {
        let file = try RawFile(path: path, identify: identify)
        if try file.peek(2) == gzipMagic {
            switch codec {
            case .zlib: return try GzipSource(file: file)
            case .isal: return IsalGzipSource(file: file)
            }
        }
        return PlainSource(file: file)
    }

    /// Whether the file starts with gzip's magic bytes (read without starting a decoder).
    public static func isGzip(_ path: String) -> Bool {
        (try? RawFile(path: path).peek(2)) == gzipMagic
    }
}

/// An uncompressed file or pipe.
final class PlainSource: ChunkSource {
    private let file: RawFile

    init(file: RawFile) { self.file = file }

    var path: String { file.path }
    var inputOffset: Int64 { file.bytesRead }
    var sha256: String { file.sha256 }

    func fill(_ buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        try file.read(into: buffer)
    }
}
