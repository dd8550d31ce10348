import LogWardReport
/// An exclusive `flock` on the archive directory itself, so two overlapping cron runs (or a run and a `retain`)
/// never work on one archive at once. A lock file could be unlinked while held, letting a second run lock a new
/// file of the same name; the directory cannot be replaced under a run without moving the archive away. The
/// kernel drops the lock when the process dies, even by `kill -9`.
public final class ArchiveLock {
    private let fd: Int32

    public init(archive: String) throws {
        let opened = open(archive, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard opened >= 0 else { throw ArchiveError.io(path: archive, reason: String(cString: strerror(errno))) }
        guard flock(opened, LOCK_EX | LOCK_NB) == 0 else {
            close(opened)
            throw ArchiveError.busy(archive: archive)
        }
        fd = opened
    }

    deinit {
        flock(fd, LOCK_UN)
        close(fd)
    }
}
