import LogWardAnonymize
/// Which requests are static files (not page views): by the path's extension, the list GoAccess ships
/// (`static-file` in goaccess.conf), compared case-sensitively as GoAccess does, so page views and its
/// "requests" panel agree.
public enum StaticFiles {
    public static let extensions: [String] = [
        ".css", ".js", ".jpg", ".png", ".gif", ".ico", ".jpeg", ".pdf", ".csv", ".mpeg", ".mpg", ".swf", ".woff",
        ".woff2", ".xls", ".xlsx", ".doc", ".docx", ".ppt", ".pptx", ".txt", ".zip", ".ogg", ".mp3", ".mp4", ".exe",
        ".iso", ".gz", ".rar", ".svg", ".bmp", ".tar", ".tgz", ".tiff", ".tif", ".ttf", ".flv", ".dmg", ".xz", ".zst",
    ]
    private static let byteExtensions: [[UInt8]] = extensions.map { Array($0.utf8) }

    /// `path` without its query string.
    package static func isStatic(_ path: Span<UInt8>) -> Bool {
        for suffix in byteExtensions where path.count > suffix.count {
            let start = path.count - suffix.count
            var matches = true
            for offset in 0..<suffix.count where path[start + offset] != suffix[offset] {
                matches = false
                break
            }
            if matches { return true }
        }
        return false
    }

    public static func isStatic(_ path: String) -> Bool {
        let bytes = Array(path.utf8)
        return isStatic(bytes.span)
    }
}
