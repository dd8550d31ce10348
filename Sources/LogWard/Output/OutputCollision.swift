import LogWardAggregate
/// No command writes over one of its inputs: an output path that is an input (the same file, however it is
/// named: links and relative paths resolved by device and inode) is refused before anything is read (exit 2).
public enum OutputCollision {
    public struct Refused: Error, Sendable, CustomStringConvertible {
        public var option: String
        public var output: String
        public var input: String

        public var description: String {
            "\(option) \(output) is the input \(input): logward never writes over one of its inputs"
        }
    }

    /// Throws `Refused` for the first output (option name, path) that is one of `inputs`. Outputs that do not
    /// exist yet cannot be an input; devices and pipes (`/dev/null`, `-`) are never files a log is read from.
    public static func check(outputs: [(option: String, path: String)], inputs: [String]) throws {
        var identities: [(device: UInt64, inode: UInt64, path: String)] = []
        for input in inputs where input != "-" {
            var info = stat()
            if stat(input, &info) == 0, info.st_mode & S_IFMT == S_IFREG {
                identities.append((UInt64(info.st_dev), UInt64(info.st_ino), input))
            }
        }
        for (option, path) in outputs where path != "-" {
            var info = stat()
            guard stat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { continue }
            if let input = identities.first(where: { $0.device == UInt64(info.st_dev) && $0.inode == UInt64(info.st_ino) }) {
                throw Refused(option: option, output: path, input: input.path)
            }
        }
    }
}

extension OutputCollision.Refused: LogWardError { public var exitStatus: ExitStatus { .usage } }

extension StatsSinks {
    /// The files the sinks write, with the option that names each.
    public var outputFiles: [(option: String, path: String)] {
        var files: [(option: String, path: String)] = []
        if let sqlite { files += [("--sqlite", sqlite), ("--sqlite", sqlite + "-journal"), ("--sqlite", sqlite + "-wal")] }
        if let csvDirectory {
            for name in StatsExport.csvFileNames { files.append(("--csv", csvDirectory + "/" + name)) }
        }
        if let json { files.append(("--json-file", json)) }
        if let prometheus { files.append(("--prometheus", prometheus)) }
        if let html { files.append(("--html", html)) }
        return files
    }
}
