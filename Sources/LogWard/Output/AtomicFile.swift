import LogWardAggregate
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
        if lstat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFLNK {
            // A dangling link: renaming over it would replace the link with a plain file.
            guard let resolved = realpath(path, nil) else {
                throw OutputError(path: path, reason: "is a link to a file that does not exist")
            }
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

    /// Writes whole texts as a set: all are staged and fsynced first, then renamed into place; if any cannot be
    /// staged, none replaces its file.
    public static func writeSet(_ files: [(path: String, text: String)], mode: mode_t = 0o600) throws {
        var staged: [AtomicFile] = []
        for (path, text) in files {
            let file = try AtomicFile(path: path, mode: mode)
            staged.append(file)
            let sink = DescriptorSink(descriptor: file.descriptor, path: path)
            try sink.write(text)
            try sink.finish()
            try file.sync()
        }
        for file in staged { try file.commit() }
    }

    /// Makes the staged bytes durable without publishing them (a set's files are all synced before any rename).
    func sync() throws {
        guard !closed, temporaryPath != nil else { return }
        guard fsync(descriptor) == 0 else { throw OutputError(path: path, reason: "fsync: " + String(cString: strerror(errno))) }
    }

    /// Writes one whole text atomically (reports, exports).
    public static func write(_ text: String, to path: String, mode: mode_t = 0o600) throws {
        try writeSet([(path, text)], mode: mode)
    }

    /// A rename is durable only once its directory is synced.
    public static func syncDirectory(of path: String) { SystemCalls.syncDirectory(of: path) }
}
