/// logward's documented exit codes.
public enum ExitStatus: Int32, Sendable {
    case ok = 0
    /// Violations found, or more rejected lines than the threshold allows.
    case violations = 1
    /// Bad command line, format string, config, rules file or key store.
    case usage = 2
    /// An input could not be read to its end (missing, unreadable, corrupt or truncated gzip), or output failed.
    case unreadableInput = 3
    /// Another logward run holds the archive's lock: this one did nothing.
    case busy = 4

    /// The status for an error that ended a command.
    public static func `for`(_ error: any Error) -> ExitStatus {
        (error as? any LogWardError)?.exitStatus ?? .usage
    }
}

/// An error logward reports itself: its message names files and offsets, never input content.
public protocol LogWardError: Error, CustomStringConvertible {
    var exitStatus: ExitStatus { get }
}

extension InputError: LogWardError { public var exitStatus: ExitStatus { .unreadableInput } }
extension OutputError: LogWardError { public var exitStatus: ExitStatus { .unreadableInput } }
extension FormatError: LogWardError { public var exitStatus: ExitStatus { .usage } }
extension RulesError: LogWardError { public var exitStatus: ExitStatus { .usage } }
extension KeyStoreError: LogWardError {
    public var exitStatus: ExitStatus {
        if case .io = self { return .unreadableInput }
        return .usage
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
extension PseudonymizerPool.PoolError: LogWardError { public var exitStatus: ExitStatus { .usage } }
