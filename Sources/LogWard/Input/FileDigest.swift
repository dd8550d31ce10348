import LogWardThreads
import Crypto
/// The SHA-256 of a file's bytes, read in 1 MiB blocks (never the whole file in memory).
public enum FileDigest {
    /// Lower-case hex, as `sha256sum` prints it.
    package static func hex(_ digest: SHA256.Digest) -> String {
        digest.map { byte in (byte < 16 ? "0" : "") + String(byte, radix: 16) }.joined()
    }

    public static func sha256(of path: String) throws -> String {
        let fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else { throw InputError.cannotOpen(path: path, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        var digest = SHA256()
        try forEachBlock(of: fd, path: path) { digest.update(bufferPointer: $0) }
        return hex(digest.finalize())
    }

    /// Reads a descriptor to its end in 1 MiB blocks, handing each to `body` (never the whole file in memory).
    package static func forEachBlock(of descriptor: Int32, path: String, _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
        defer { buffer.deallocate() }
        while true {
            let count: Int
            do {
                count = try SystemCalls.read(descriptor, into: buffer.baseAddress, count: buffer.count)
            } catch {
                throw InputError.readFailed(path: path, reason: error.reason)
            }
            if count == 0 { return }
            try body(UnsafeRawBufferPointer(rebasing: buffer[..<count]))
        }
    }
}
