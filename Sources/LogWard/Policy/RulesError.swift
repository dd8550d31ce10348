import LogWardFormat
/// A rules file logward refuses, with where and why. Exit code 2.
public struct RulesError: Error, Equatable, Sendable, CustomStringConvertible {
    public var file: String
    /// 1-based line in the file, when known.
    public var line: Int?
    public var message: String

    public init(file: String, line: Int?, _ message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    public var description: String {
        if let line { return "\(file):\(line): \(message)" }
        return "\(file): \(message)"
    }
}

extension RulesError: LogWardError { public var exitStatus: ExitStatus { .usage } }
