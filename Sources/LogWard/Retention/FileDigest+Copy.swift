import Crypto
import LogWardReport
extension FileDigest {
    /// Copies `source` to `destination` (created 0600, exclusive), fsyncs it, and returns the SHA-256 of the
    /// bytes written, so the caller can compare it with the source's known digest.
    public static func copy(_ source: String, to destination: String) throws -> String {
        let input = open(source, O_RDONLY | O_CLOEXEC)
        guard input >= 0 else { throw InputError.cannotOpen(path: source, reason: String(cString: strerror(errno))) }
        defer { close(input) }
        let output = open(destination, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard output >= 0 else { throw OutputError(path: destination, reason: String(cString: strerror(errno))) }
        defer { close(output) }
        var digest = SHA256()
        try forEachBlock(of: input, path: source) { block in
            digest.update(bufferPointer: block)
            do {
                try SystemCalls.writeAll(output, block)
            } catch let error as SystemCalls.Failure {
                throw OutputError(path: destination, reason: error.reason)
            }
        }
        guard fsync(output) == 0 else { throw OutputError(path: destination, reason: "fsync: " + String(cString: strerror(errno))) }
        return hex(digest.finalize())
    }
}
