/// logward's documented exit codes.
public enum ExitStatus: Int32, Sendable {
    case ok = 0
    /// Violations found, or more rejected lines than the threshold allows.
    case violations = 1
    /// Bad command line, format string, config or rules file.
    case usage = 2
    /// An input could not be read to its end (missing, unreadable, corrupt or truncated gzip).
    case unreadableInput = 3

    /// The status for an error that ended a command.
    public static func `for`(_ error: any Error) -> ExitStatus {
        switch error {
        case is InputError: return .unreadableInput
        case is FormatError: return .usage
        default: return .usage
        }
    }
}
