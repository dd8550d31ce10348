import ArgumentParser
import LogWard

/// Options every command that reads logs shares.
struct InputOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "Log format: common, combined, vhost_combined, nginx, or a LogFormat / log_format string.",
        discussion: #"Example: --format '%h %l %u %t "%r" %>s %b "%{Referer}i" "%{User-Agent}i"'"#,
        valueName: "format"))
    var format: String?

    @Option(name: .customLong("max-line-length"), help: "Longer lines are rejected and counted, never held in memory.")
    var maximumLineLength = LineSplitter.defaultMaximumLineLength

    @Option(name: .long, help: """
        1: everything on one thread. N (2-\(Self.maximumThreads)): gzip inflated on its own thread, N workers parse and anonymize \
        batches of lines, one more thread counts statistics in input order. Output and numbers are identical.
        """)
    var threads = 2

    static let maximumThreads = 64

    @Option(name: .long, help: "gzip library for reading and writing: isal (igzip, the default: several times faster) or zlib.")
    var codec: GzipCodec = .preferred

    @Option(name: .customLong("max-reject-rate"), help: "Exit 1 when more than this fraction of lines is rejected; a file over it stores no statistics.")
    var maximumRejectRate = 0.05

    @Argument(help: "Log files (gzip or plain, detected by content); - reads stdin.")
    var files: [String] = []

    func validate() throws {
        guard !files.isEmpty else { throw ValidationError("name at least one log file, or - for stdin") }
        guard (0...1).contains(maximumRejectRate) else { throw ValidationError("--max-reject-rate must be between 0 and 1") }
        guard maximumLineLength > 0 else { throw ValidationError("--max-line-length must be positive") }
        guard (1...Self.maximumThreads).contains(threads) else { throw ValidationError("--threads must be 1 to \(Self.maximumThreads)") }
        _ = try compiledFormat()
    }

    /// `--format`, else the format of a one-input config, else combined.
    func compiledFormat(config: RunConfig? = nil) throws -> LogFormat {
        guard let format else {
            return config?.input(for: files)?.format ?? .combined
        }
        do {
            return try LogFormat(format)
        } catch let error as FormatError {
            throw ValidationError("--format: \(error)")
        }
    }

    /// Whether the rejected share of `lines` is over --max-reject-rate (exit 1).
    func tooManyRejected(_ rejected: Int, of lines: Int) -> Bool {
        lines > 0 && Double(rejected) / Double(lines) > maximumRejectRate
    }

    /// Statistics count lines per day and visits by their times: a format with no time field is refused.
    func requireTime(config: RunConfig? = nil) throws {
        let format = try compiledFormat(config: config)
        guard format.hasTime else {
            throw ValidationError("the log format has no time field (%t, %{...}t, $time_local, $time_iso8601, $msec): "
                                  + "statistics need each line's time")
        }
    }

    func scanOptions(config: RunConfig? = nil) throws -> ScanOptions {
        var options = ScanOptions(format: try compiledFormat(config: config), maximumLineLength: maximumLineLength, readAhead: threads >= 2)
        options.codec = codec
        return options
    }
}
