#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An exclusive `flock` on `archive/.lock`, so two overlapping cron runs (or a run and a `retain`) never work
/// on one archive at once. The kernel drops the lock when the process dies, even by `kill -9`.
public final class ArchiveLock {
    private let fd: Int32

    public init(archive: String) throws {
        let path = archive + "/.lock"
        let opened = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard opened >= 0 else { throw ArchiveError.io(path: path, reason: String(cString: strerror(errno))) }
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
