import LogWardPipeline
/// A one-line progress display on stderr, shown only when stderr is a terminal (never under cron).
public final class ProgressLine {
    private let enabled: Bool
    private var lastDraw: timespec = timespec()
    private var drawn = false

    public init(enabled: Bool = isatty(STDERR_FILENO) == 1) {
        self.enabled = enabled
    }

    public func update(_ text: @autoclosure () -> String) {
        guard enabled else { return }
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        // At most five redraws a second: a terminal is slower than the parser.
        guard !drawn || (now.tv_sec - lastDraw.tv_sec) * 1000 + (now.tv_nsec - lastDraw.tv_nsec) / 1_000_000 >= 200 else { return }
        lastDraw = now
        drawn = true
        StandardError.write("\r\u{1B}[K" + text())
    }

    /// The line every command shows while it reads: the file and how much of it is read.
    public func reading(_ path: String, _ bytesRead: Int64) {
        update("\(path): \(bytesRead / 1_048_576) MiB read")
    }

    public func clear() {
        guard enabled, drawn else { return }
        StandardError.write("\r\u{1B}[K")
        drawn = false
    }
}
