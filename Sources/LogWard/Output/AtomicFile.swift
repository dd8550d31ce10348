#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file written under a temporary name in its final directory, fsynced, then renamed into place:
/// readers see the whole file or none of it, and a killed run leaves at most a `.tmp` file it can remove.
public final class AtomicFile {
    public let path: String
    public let temporaryPath: String
    public let descriptor: Int32
    private var closed = false

    public init(path: String, mode: mode_t = 0o600) throws {
        self.path = path
        let slash = path.lastIndex(of: "/")
        let directory = slash.map { String(path[..<$0]) } ?? "."
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        temporaryPath = (directory.isEmpty ? "" : directory + "/") + "." + name + ".tmp-\(getpid())"
        unlink(temporaryPath)
        let opened = open(temporaryPath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard opened >= 0 else { throw OutputError(path: path, reason: String(cString: strerror(errno))) }
        descriptor = opened
    }

    deinit { discard() }

    /// Makes the file durable and visible under its final name.
    public func commit() throws {
        guard !closed else { return }
        guard fsync(descriptor) == 0 else { throw OutputError(path: path, reason: "fsync: " + String(cString: strerror(errno))) }
        close(descriptor)
        closed = true
        guard rename(temporaryPath, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporaryPath)
            throw OutputError(path: path, reason: "rename: " + reason)
        }
        Self.syncDirectory(of: path)
    }

    /// Removes the temporary file; the final name is untouched.
    public func discard() {
        guard !closed else { return }
        close(descriptor)
        closed = true
        unlink(temporaryPath)
    }

    /// A rename is durable only once its directory is synced.
    public static func syncDirectory(of path: String) {
        let directory = path.lastIndex(of: "/").map { String(path[..<$0]) } ?? "."
        let fd = open(directory.isEmpty ? "/" : directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        fsync(fd)
        close(fd)
    }
}
