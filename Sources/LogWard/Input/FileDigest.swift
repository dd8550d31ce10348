import Crypto
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The SHA-256 of a file's bytes, read in 1 MiB blocks (never the whole file in memory).
public enum FileDigest {
    /// Lower-case hex, as `sha256sum` prints it.
    static func hex(_ digest: SHA256.Digest) -> String {
        digest.map { byte in (byte < 16 ? "0" : "") + String(byte, radix: 16) }.joined()
    }

    public static func sha256(of path: String) throws -> String {
        let fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else { throw InputError.cannotOpen(path: path, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        var digest = SHA256()
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let count: Int
            do {
                count = try buffer.withUnsafeMutableBytes { bytes in
                    try SystemCalls.read(fd, into: bytes.baseAddress, count: bytes.count)
                }
            } catch let error as SystemCalls.Failure {
                throw InputError.readFailed(path: path, reason: error.reason)
            }
            if count == 0 { break }
            buffer.withUnsafeBytes { digest.update(bufferPointer: UnsafeRawBufferPointer(rebasing: $0[..<count])) }
        }
        return hex(digest.finalize())
    }
}
