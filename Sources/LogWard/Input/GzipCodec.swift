import LogWardThreads
/// Which library inflates and deflates gzip. ISA-L (Intel's igzip, Debian's libisal) is several times faster
/// at both; zlib stays the reference the tests compare it with and a choice (`--codec zlib`). Both read
/// multi-member files, check every member's CRC and length, and report damage and truncation the same way.
public enum GzipCodec: String, Sendable, CaseIterable, Codable {
    case zlib
    case isal

    public static let preferred = GzipCodec.isal

    /// The igzip level (0-3) a zlib-style level (1-9) stands for. 6, logrotate's and gzip's default, is igzip's
    /// level 2: on the bench file's anonymized lines, 1.24x the size of `gzip -6` in a ninth of its time, where
    /// level 3 saves 2% more for four times level 2's time.
    public static func isalLevel(_ level: Int32) -> Int32 {
        switch level {
        case ...2: return 0
        case 3...4: return 1
        case 5...7: return 2
        default: return 3
        }
    }
}
