#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file written under a temporary name in its final directory, fsynced, then renamed into place:
/// readers see the whole file or none of it, and a killed run leaves at most a `.tmp` file it can remove.
/// A path that names a device, pipe or socket (`-o /dev/null`, `/dev/stdout`) is written in place: renaming
/// over it would replace the device with a plain file.
public final class AtomicFile {
    public let path: String
    /// Nil when the path is written in place.
    public let temporaryPath: String?
    public let descriptor: Int32
    private var closed = false

    public init(path: String, mode: mode_t = 0o600) throws {
        var info = stat()
        if stat(path, &info) == 0 && (info.st_mode & S_IFMT) != S_IFREG {
            guard (info.st_mode & S_IFMT) != S_IFDIR else { throw OutputError(path: path, reason: "is a directory") }
            let opened = open(path, O_WRONLY | O_CLOEXEC)
            guard opened >= 0 else { throw OutputError(path: path, reason: String(cString: strerror(errno))) }
            self.path = path
            temporaryPath = nil
            descriptor = opened
            return
        }
        // A link to a file: the file it names is replaced, the link stays.
        var target = path
        if lstat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFLNK, let resolved = realpath(path, nil) {
            target = String(cString: resolved)
            free(resolved)
        }
        self.path = target
        let slash = target.lastIndex(of: "/")
        let directory = slash.map { String(target[..<$0]) } ?? "."
        let name = slash.map { String(target[target.index(after: $0)...]) } ?? target
        let temporary = (directory.isEmpty ? "" : directory + "/") + "." + name + ".tmp-\(getpid())"
        temporaryPath = temporary
        unlink(temporary)
        let opened = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard opened >= 0 else { throw OutputError(path: path, reason: String(cString: strerror(errno))) }
        descriptor = opened
    }

    deinit { discard() }

    /// Makes the file durable and visible under its final name.
    public func commit() throws {
        guard !closed else { return }
        guard let temporaryPath else {
            close(descriptor)
            closed = true
            return
        }
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
        if let temporaryPath { unlink(temporaryPath) }
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
