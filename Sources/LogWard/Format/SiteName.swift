import LogWardInput
/// The site a line belongs to, from its virtual-host field: lower-cased, without a port or trailing dot.
public enum SiteName {
    package static func normalized(_ bytes: Span<UInt8>) -> [UInt8] {
        var result: [UInt8] = []
        result.reserveCapacity(bytes.count)
        for byteIndex in bytes.indices {
            let byte = bytes[byteIndex]
            if byte == UInt8(ascii: ":") { break }
            result.append(byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte)
        }
        if result.last == UInt8(ascii: ".") { result.removeLast() }
        return result
    }

    /// A site name as messages may print it: a host name whose last label is alphabetic. An address, or bytes that
    /// are no host name (a Host header is the client's to write), is never printed: it may identify someone.
    public static func printable(_ site: String) -> String {
        let bytes = Array(site.utf8)
        let allowed = bytes.allSatisfy { byte in
            (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39) || byte == 0x2E || byte == 0x2D || byte == 0x5F
        }
        let lastLabel = bytes.split(separator: 0x2E).last ?? []
        let alphabeticEnd = !lastLabel.isEmpty && lastLabel.allSatisfy { $0 >= 0x61 && $0 <= 0x7A }
        return allowed && alphabeticEnd && bytes.count <= 253 ? site : "(not a host name)"
    }
}
