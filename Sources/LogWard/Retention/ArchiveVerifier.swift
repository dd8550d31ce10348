import LogWardReport
/// Reads back a file logward just wrote: its SHA-256 and its line count, decoded to the end. A replacement
/// that does not read back whole is never committed and nothing is deleted for it.
public enum ArchiveVerifier {
    public struct Verified: Sendable, Equatable {
        public var sha256: String
        public var size: Int64
        public var lines: Int
    }

    public static func verify(_ path: String) throws -> Verified {
        let source = try LogSource.open(path, identify: true)
        let stream = ChunkStream(source: source, chunkSize: ChunkStream.defaultChunkSize, readAhead: false)
        var lines = 0
        var endsWithNewline = true
        while try stream.withNextChunk({ chunk in
            guard !chunk.isEmpty else { return }
            lines += ByteSearch.count(of: 0x0A, in: chunk)
            endsWithNewline = chunk.last == 0x0A
        }) {}
        if !endsWithNewline { lines += 1 }
        return Verified(sha256: source.sha256, size: stream.inputOffset, lines: lines)
    }
}
