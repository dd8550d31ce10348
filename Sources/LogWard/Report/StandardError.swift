import LogWardPipeline
/// Writes to file descriptor 2 directly: no shared `FILE*`, so it is safe from any thread.
public enum StandardError {
    public static func write(_ text: String) {
        // Nothing to do when stderr itself fails: there is nowhere left to say so.
        try? SystemCalls.writeAll(STDERR_FILENO, text)
    }
}
