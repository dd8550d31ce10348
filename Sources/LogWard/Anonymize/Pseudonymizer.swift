import Crypto

/// Keyed pseudonyms: HMAC-SHA256 under the policy's key of the period, the first 64 bits in hex behind `h:`,
/// which no address, user name or e-mail can look like. Never an unkeyed hash: every IPv4 address can be
/// hashed in minutes, so a bare hash of one is no pseudonym at all.
public struct Pseudonymizer {
    /// Separates what is hashed, so an e-mail and a user name with the same text give different pseudonyms.
    public enum Domain: UInt8, Sendable {
        case address = 0x61  // "a"
        case user = 0x75     // "u"
        case email = 0x65    // "e"
    }

    public static let prefix: [UInt8] = Array("h:".utf8)
    public static let hexDigits = 16
    private static let hex: [UInt8] = Array("0123456789abcdef".utf8)
    /// Addresses repeat line after line; remembering their pseudonyms saves an HMAC per line.
    private static let cacheLimit = 1 << 16

    private let key: SymmetricKey
    private var cache: [[UInt8]: [UInt8]] = [:]
    private var scratch: [UInt8] = []

    public init(key: SymmetricKey) {
        self.key = key
    }

    /// The pseudonym text (`h:` and 16 hex digits) of `value` in `domain`.
    public mutating func pseudonym(of value: UnsafeRawBufferPointer, domain: Domain) -> [UInt8] {
        scratch.removeAll(keepingCapacity: true)
        scratch.append(domain.rawValue)
        scratch.append(contentsOf: value)
        if let known = cache[scratch] { return known }
        let code = HMAC<SHA256>.authenticationCode(for: scratch, using: key)
        var text = Self.prefix
        text.reserveCapacity(Self.prefix.count + Self.hexDigits)
        for byte in code.prefix(Self.hexDigits / 2) {
            text.append(Self.hex[Int(byte >> 4)])
            text.append(Self.hex[Int(byte & 0x0F)])
        }
        if cache.count >= Self.cacheLimit { cache.removeAll(keepingCapacity: true) }
        cache[scratch] = text
        return text
    }

    public mutating func pseudonym(of value: [UInt8], domain: Domain) -> [UInt8] {
        value.withUnsafeBytes { pseudonym(of: $0, domain: domain) }
    }
}
