import Foundation
import LogWardReport
/// The archive's layout (DESIGN.md section 6) and the rules for touching it: paths stay inside it, symbolic
/// links are never followed, raw data is readable by the owner only.
///
///     raw/<label>/YYYY/MM/DD/<name>    raw copies, only within their raw window (0700 folders, 0600 files)
///     anon/<label>/YYYY/MM/DD/<name>   anonymized logs, within their window
///     keys/<policy>/<period>.key       pseudonym keys (unless the config puts them elsewhere)
///     audit.jsonl                      append-only trail of every write, rewrite, deletion, key destruction
///     ledger.sqlite                    every input processed and every file the archive holds
///     .staging/                        files being written; emptied at the start of every run
public struct Archive: Sendable {
    public let root: String

    public init(root: String) {
        // No trailing slash, so relative paths are exact suffixes.
        var root = root
        while root.count > 1, root.hasSuffix("/") { root.removeLast() }
        self.root = root
    }

    public var ledgerPath: String { root + "/ledger.sqlite" }
    public var auditPath: String { root + "/audit.jsonl" }
    public var stagingDirectory: String { root + "/.staging" }
    public var reportsDirectory: String { root + "/reports" }

    /// `raw/<label>/YYYY/MM/DD/<name>`, dated by the file's newest line (UTC).
    public static func relativePath(_ kind: ArchivedFile.Kind, label: String, newestEpoch: Int64, name: String) -> String {
        let day = Timestamp.day(newestEpoch)  // YYYY-MM-DD
        let parts = day.split(separator: "-")
        return "\(kind.folder)/\(label)/\(parts[0])/\(parts[1])/\(parts[2])/\(name)"
    }

    /// The archive name of an input: its own name (without `.gz`) and the first 12 hex digits of its SHA-256,
    /// so rotated names that repeat every night never collide and a re-run writes the same path.
    public static func fileName(input: String, sha256: String, compressed: Bool) -> String {
        var stem = (input as NSString).lastPathComponent
        if stem.hasSuffix(".gz") { stem.removeLast(3) }
        if stem.hasSuffix(".log") { stem.removeLast(4) }
        return "\(stem).\(sha256.prefix(12)).log" + (compressed ? ".gz" : "")
    }

    /// The absolute path of a relative archive path, after checking that it stays inside the archive and that
    /// no folder on the way is a symbolic link (the last component may not exist yet; if it does, it must not be a link).
    public func absolutePath(_ relative: String) throws -> String {
        let components = relative.split(separator: "/", omittingEmptySubsequences: false)
        guard !relative.hasPrefix("/"), !components.isEmpty,
              !components.contains(where: { $0 == ".." || $0 == "." || $0.isEmpty }) else {
            throw ArchiveError.outsideArchive(path: relative)
        }
        var path = root
        var checking = true
        for component in components {
            path += "/" + component
            guard checking else { continue }
            var info = stat()
            if lstat(path, &info) != 0 {
                checking = false  // nothing below a missing folder exists yet
                continue
            }
            if info.st_mode & S_IFMT == S_IFLNK { throw ArchiveError.symlink(path: path) }
        }
        return path
    }

    /// The relative form of an absolute path inside the archive, or nil.
    public func relativePath(of path: String) -> String? {
        guard path.hasPrefix(root + "/") else { return nil }
        return String(path.dropFirst(root.count + 1))
    }

    /// Creates the archive's folders (raw and staging 0700) and refuses an archive where others can read raw
    /// data or write anything.
    public func prepare() throws {
        try makeDirectory(root, mode: 0o750)
        try makeDirectory(root + "/raw", mode: 0o700)
        try makeDirectory(root + "/anon", mode: 0o750)
        try makeDirectory(stagingDirectory, mode: 0o700)
        try checkPermissions()
    }

    /// Raw data must be the owner's alone; nothing in the archive may be writable by others.
    public func checkPermissions() throws {
        for (path, forbidden) in [(root, mode_t(0o002)), (root + "/raw", mode_t(0o077)), (stagingDirectory, mode_t(0o077))] {
            var info = stat()
            guard lstat(path, &info) == 0 else { continue }
            if info.st_mode & S_IFMT == S_IFLNK { throw ArchiveError.symlink(path: path) }
            if info.st_mode & forbidden != 0 {
                throw ArchiveError.insecurePermissions(path: path, mode: UInt32(info.st_mode & 0o777))
            }
        }
    }

    /// Creates the folders of a relative file path (raw folders 0700), refusing links on the way.
    public func makeParents(of relative: String) throws -> String {
        let absolute = try absolutePath(relative)
        let components = relative.split(separator: "/").dropLast()
        let mode: mode_t = relative.hasPrefix("raw/") ? 0o700 : 0o750
        var path = root
        for component in components {
            path += "/" + component
            try makeDirectory(path, mode: mode)
        }
        return absolute
    }

    /// Removes empty date and label folders above a deleted file, up to `raw/` or `anon/`.
    public func pruneEmptyParents(of relative: String) {
        var components = relative.split(separator: "/").dropLast()
        while components.count > 1 {
            let path = root + "/" + components.joined(separator: "/")
            guard rmdir(path) == 0 else { return }
            components = components.dropLast()
        }
    }

    /// Empties the staging folder: whatever is there was left by a run that was killed before committing it.
    public func clearStaging() throws -> Int {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: stagingDirectory) else { return 0 }
        for name in names { unlink(stagingDirectory + "/" + name) }
        return names.count
    }

    /// A fresh staging path for a file about to be written.
    public func stagingPath(suffix: String) -> String {
        stagingDirectory + "/" + UUID().uuidString.lowercased() + suffix
    }

    private func makeDirectory(_ path: String, mode: mode_t) throws {
        var info = stat()
        if lstat(path, &info) == 0 {
            if info.st_mode & S_IFMT == S_IFLNK { throw ArchiveError.symlink(path: path) }
            guard info.st_mode & S_IFMT == S_IFDIR else { throw ArchiveError.io(path: path, reason: "is not a folder") }
            return
        }
        if path == root {
            try? FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                     withIntermediateDirectories: true)
        }
        guard mkdir(path, mode) == 0 || errno == EEXIST else {
            throw ArchiveError.io(path: path, reason: String(cString: strerror(errno)))
        }
        chmod(path, mode)  // umask may have narrowed it; never widened beyond `mode`
    }

    /// Moves a committed staging file to its place and makes the rename durable.
    public func moveIntoPlace(_ staging: String, relative: String) throws -> String {
        let destination = try makeParents(of: relative)
        guard rename(staging, destination) == 0 else {
            throw ArchiveError.io(path: destination, reason: "rename: " + String(cString: strerror(errno)))
        }
        AtomicFile.syncDirectory(of: destination)
        return destination
    }

    /// Deletes a file of the archive (never a link) and makes the deletion durable.
    public func delete(_ relative: String) throws {
        let path = try absolutePath(relative)
        var info = stat()
        guard lstat(path, &info) == 0 else { return }
        if info.st_mode & S_IFMT == S_IFLNK { throw ArchiveError.symlink(path: path) }
        guard unlink(path) == 0 else { throw ArchiveError.io(path: path, reason: String(cString: strerror(errno))) }
        AtomicFile.syncDirectory(of: path)
        pruneEmptyParents(of: relative)
    }

    /// Whether a relative path names an existing regular file (not a link).
    public func isRegularFile(_ relative: String) -> Bool {
        guard let path = try? absolutePath(relative) else { return false }
        var info = stat()
        return lstat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFREG
    }
}
