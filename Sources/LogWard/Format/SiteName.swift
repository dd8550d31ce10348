/// The site a line belongs to, from its virtual-host field: lower-cased, without a port or trailing dot.
public enum SiteName {
    public static func normalized(_ bytes: UnsafeRawBufferPointer) -> [UInt8] {
        var result: [UInt8] = []
        result.reserveCapacity(bytes.count)
        for byte in bytes {
            if byte == UInt8(ascii: ":") { break }
            result.append(byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte)
        }
        if result.last == UInt8(ascii: ".") { result.removeLast() }
        return result
    }
}
