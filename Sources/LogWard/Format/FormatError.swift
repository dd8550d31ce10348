import LogWardInput
/// A format string logward cannot compile.
public enum FormatError: Error, Equatable, Sendable, CustomStringConvertible {
    case empty
    case unknownPreset(String)
    case unknownDirective(String, position: Int)
    case unterminatedBraces(position: Int)
    case adjacentFields(String, String)
    case noFields
    /// A `%{...}t` strftime format logward cannot read back.
    case badTimeFormat(String, String)

    public var description: String {
        switch self {
        case .empty:
            return "the log format is empty"
        case .unknownPreset(let name):
            return "unknown log format '\(name)': use common, combined, vhost_combined, nginx, or a LogFormat / log_format string"
        case .unknownDirective(let directive, let position):
            return "unknown directive '\(directive)' at character \(position) of the log format"
        case .unterminatedBraces(let position):
            return "a '{' at character \(position) of the log format is never closed"
        case .adjacentFields(let first, let second):
            return "fields \(first) and \(second) follow each other with no separator: logward cannot tell where one ends"
        case .badTimeFormat(let format, let reason):
            return "the time format '\(format)' cannot be read back: \(reason)"
        case .noFields:
            return "the log format names no field (Apache %-directives or nginx $variables)"
        }
    }
}

extension FormatError: LogWardError { public var exitStatus: ExitStatus { .usage } }
