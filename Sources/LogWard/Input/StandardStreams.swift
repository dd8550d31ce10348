import LogWardThreads
public enum StandardStreams {
    /// True when stdin is a pipe or socket (a web server's piped log), not a file or terminal.
    public static var stdinIsPipe: Bool {
        var info = stat()
        guard fstat(STDIN_FILENO, &info) == 0 else { return false }
        let type = info.st_mode & S_IFMT
        return type == S_IFIFO || type == S_IFSOCK
    }

    /// Writes to a closed pipe then fail with EPIPE, which logward reports, instead of killing the process.
    public static func ignoreBrokenPipeSignal() {
        signal(SIGPIPE, SIG_IGN)
    }
}
