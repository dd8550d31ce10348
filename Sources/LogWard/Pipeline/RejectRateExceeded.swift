import LogWardOutput
/// A file read to its end with more of its lines rejected than allowed: most often the wrong format. Its outputs
/// are discarded and nothing records it as done, so the next run with the right format processes it.
public struct RejectRateExceeded: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var rejected: Int
    public var lines: Int
    public var limit: Double
    /// What the pass learnt of the input before it was refused: its content, the policies of the lines that
    /// parsed, and their newest time (for a raw copy kept meanwhile).
    public var inputSHA256 = ""
    public var policies: [String] = []
    public var newestEpoch: Int64?

    package init(path: String, rejected: Int, lines: Int, limit: Double, inputSHA256: String = "", policies: [String] = [],
                 newestEpoch: Int64? = nil) {
        self.path = path
        self.rejected = rejected
        self.lines = lines
        self.limit = limit
        self.inputSHA256 = inputSHA256
        self.policies = policies
        self.newestEpoch = newestEpoch
    }

    public var description: String {
        "\(path): \(rejected) of \(lines) lines rejected, over max_reject_rate \(limit) (is the format right?); "
            + "nothing archived or counted, the next run retries it"
    }
}

extension RejectRateExceeded: LogWardError { public var exitStatus: ExitStatus { .violations } }
