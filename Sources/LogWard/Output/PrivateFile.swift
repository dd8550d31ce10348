import LogWardAggregate
/// Files that hold visitor pseudonyms or the archive's records (`stats.sqlite`, `ledger.sqlite`): created empty
/// with mode 0600 before SQLite opens them, so they never exist readable by others, whatever the umask. SQLite
/// gives its journal the database's mode. An existing file keeps the mode its owner chose (e.g. 0640 for a
/// dashboard's group).
public enum PrivateFile {
    public static let mode: mode_t = 0o600

    /// Creates `path` empty with mode 0600 unless something is there; returns whether it was created.
    @discardableResult
    public static func createIfMissing(_ path: String) -> Bool {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode)
        guard descriptor >= 0 else { return false }
        fchmod(descriptor, mode)  // the umask may only have narrowed it
        close(descriptor)
        return true
    }
}
