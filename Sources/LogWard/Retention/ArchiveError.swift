import LogWardReport
/// Why logward refuses to work on an archive.
public enum ArchiveError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Another logward process holds the archive's lock (exit 4).
    case busy(archive: String)
    /// Raw data (or the archive itself) is readable or writable by group or others (exit 2).
    case insecurePermissions(path: String, mode: UInt32)
    /// A symbolic link where the archive expects a file or folder: never followed (exit 2).
    case symlink(path: String)
    /// A ledger path that would leave the archive (exit 2).
    case outsideArchive(path: String)
    /// The directory has no ledger: it is not a logward archive (exit 2).
    case notAnArchive(path: String)
    case io(path: String, reason: String)

    public var description: String {
        switch self {
        case .busy(let archive):
            return "\(archive): another logward run holds the archive lock (a flock on the archive directory); this run does nothing"
        case .insecurePermissions(let path, let mode):
            return "\(path): mode \(String(mode, radix: 8)) lets others read raw data; run chmod go-rwx on it (logward refuses to use it)"
        case .symlink(let path):
            return "\(path): is a symbolic link; logward never follows links inside an archive"
        case .outsideArchive(let path):
            return "\(path): is outside the archive; logward touches nothing outside it"
        case .notAnArchive(let path):
            return "\(path): no ledger.sqlite here, so not a logward archive (logward run creates one; logward audit reads any folder)"
        case .io(let path, let reason):
            return "\(path): \(reason)"
        }
    }
}

extension ArchiveError: LogWardError {
    public var exitStatus: ExitStatus {
        switch self {
        case .busy: return .busy
        case .io: return .unreadableInput
        case .insecurePermissions, .symlink, .outsideArchive, .notAnArchive: return .usage
        }
    }
}
