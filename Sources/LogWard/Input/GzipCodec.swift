/// Which library inflates and deflates gzip. ISA-L (Intel's igzip, Debian's libisal) is several times faster
/// at both; zlib stays the reference the tests compare it with and a choice (`--codec zlib`). Both read
/// multi-member files, check every member's CRC and length, and report damage and truncation the same way.
public enum GzipCodec: String, Sendable, CaseIterable, Codable {
    case zlib
    case isal

    public static let preferred = GzipCodec.isal

    /// The igzip level (0-3) a zlib-style level (1-9) stands for: 6, logrotate's and gzip's default, is igzip's
    /// best (3), whose output is within a quarter of `gzip -6`'s size.
    public static func isalLevel(_ level: Int32) -> Int32 {
        switch level {
        case ...2: return 0
        case 3...4: return 1
        case 5: return 2
        default: return 3
        }
    }
}
