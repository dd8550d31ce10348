import LogWardThreads
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

/// An error logward reports itself: its message names files and offsets, never input content. Each error type
/// says its exit status where it is declared.
public protocol LogWardError: Error, CustomStringConvertible {
    var exitStatus: ExitStatus { get }
}
