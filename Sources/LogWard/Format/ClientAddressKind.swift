import LogWardInput
/// What the client field holds: Apache logs a host name instead of an address under `HostnameLookups On`.
public enum ClientAddressKind: UInt8, Sendable, Equatable {
    case absent
    case ipv4
    case ipv6
    case hostname
    /// `h:` and 16 hex digits: a client address logward already replaced by its keyed pseudonym.
    case pseudonym

    /// Whether the bytes are a logward pseudonym (`h:3f9a5c0e1b7d2a44`), as anonymized logs hold them.
    package static func isPseudonym(_ bytes: Span<UInt8>) -> Bool {
        guard bytes.count == 18, bytes[0] == UInt8(ascii: "h"), bytes[1] == UInt8(ascii: ":") else { return false }
        return bytes.extracting(droppingFirst: 2).allSatisfy { HexDigit.value($0) != nil }
    }

    /// Nil when the bytes are neither an address nor a plausible host name (binary junk, spaces, quotes).
    package static func classify(_ bytes: Span<UInt8>) -> ClientAddressKind? {
        classifyParsing(bytes)?.kind
    }

    /// `classify`, with the address itself when the bytes are one (bracketed IPv6 without its brackets): the
    /// parser keeps it, so no later stage parses the client field again.
    package static func classifyParsing(_ bytes: Span<UInt8>) -> (kind: ClientAddressKind, address: IPAddress?)? {
        guard !bytes.isEmpty else { return nil }
        if bytes.count == 1 && bytes[0] == UInt8(ascii: "-") { return (.absent, nil) }
        if let v4 = IPAddress.parseV4(bytes) { return (.ipv4, .v4(v4)) }
        if isPseudonym(bytes) { return (.pseudonym, nil) }
        if bytes.contains(UInt8(ascii: ":")) {
            let bracketed = bytes.count >= 2 && bytes.first == UInt8(ascii: "[") && bytes.last == UInt8(ascii: "]")
            let inner = bracketed ? bytes.extracting(1..<bytes.count - 1) : bytes
            return IPAddress.parseV6(inner).map { (.ipv6, $0) }
        }
        guard bytes.count <= 253 else { return nil }
        for byteIndex in bytes.indices {
            let byte = bytes[byteIndex]
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"):
                continue
            default:
                return nil
            }
        }
        return (.hostname, nil)
    }
}
