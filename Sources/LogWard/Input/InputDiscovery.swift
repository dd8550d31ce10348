import LogWardThreads
/// Expands the config's glob patterns into regular files, sorted, each once.
public enum InputDiscovery {
    public static func files(matching patterns: [String]) -> [String] {
        var found: Set<String> = []
        for pattern in patterns {
            var matches = glob_t()
            defer { globfree(&matches) }
            guard glob(pattern, 0, nil, &matches) == 0 else { continue }
            for index in 0..<Int(matches.gl_pathc) {
                guard let cString = matches.gl_pathv[index] else { continue }
                let path = String(cString: cString)
                var info = stat()
                // Regular files only: a rotated log is never a directory, device or dangling link.
                if stat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG { found.insert(path) }
            }
        }
        return found.sorted()
    }
}
