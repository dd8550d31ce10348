import LogWardInput
extension String {
    /// A key read from log bytes (a site, a referrer's host, a method, a path) as the statistics store it: invalid
    /// UTF-8 read as U+FFFD, as `String(decoding:)` reads it, and NUL as U+FFFD too. SQLite's text binding stops at
    /// a NUL (PostgreSQL refuses one), so `a\0x` and `a\0y` were one key there and two here: the store's unique
    /// index refused the second row and the whole statistics of the file were lost.
    package init<Bytes: Collection>(storedText bytes: Bytes) where Bytes.Element == UInt8 {
        let decoded = String(decoding: bytes, as: UTF8.self)
        guard bytes.contains(0) else {
            self = decoded
            return
        }
        var scalars = String.UnicodeScalarView()
        for scalar in decoded.unicodeScalars { scalars.append(scalar == "\0" ? "\u{FFFD}" : scalar) }
        self = String(scalars)
    }
}
