import Crypto
import LogWardPolicy

/// Keyed pseudonyms: HMAC-SHA256 under the policy's key of the period, the first 64 bits in hex behind `h:`,
/// which no address, user name or e-mail can look like. Never an unkeyed hash: every IPv4 address can be
/// hashed in minutes, so a bare hash of one is no pseudonym at all.
public struct Pseudonymizer {
    /// Separates what is hashed, so an e-mail and a user name with the same text give different pseudonyms.
    public enum Domain: UInt8, Sendable {
        case address = 0x61  // "a"
        case user = 0x75     // "u"
        case email = 0x65    // "e"
        /// Address and user agent together: who a visitor is, for unique-visitor counts.
        case visitor = 0x76  // "v"
    }

    public static let prefix: [UInt8] = Array("h:".utf8)
    public static let hexDigits = 16
    /// Direct-mapped cache of address pseudonyms: addresses repeat line after line, and a slot costs no allocation.
    private static let cacheSlots = 1 << 16

    /// The keyed HMAC, its pads hashed once, not once per value.
    private var keyed: PrecomputedHMAC
    /// One cache line per lookup: the address and its code side by side, valid for one key (`generation`).
    private struct CacheEntry {
        var high: UInt64 = 0
        var low: UInt64 = 0
        var code: UInt64 = 0
        var generation: UInt32 = 0
    }

    /// Allocated on the first address: a pseudonymizer that codes only visitors and users never needs it.
    private var cache: [CacheEntry] = []
    /// The key's generation: a new key invalidates every cached code at once, and the cache's pages are reused
    /// (a new 2 MB cache per period was zeroed and faulted in again every day, in every worker).
    private var generation: UInt32 = 1
    /// An address's text behind its domain byte, reused: a cache miss allocates nothing.
    private var addressText: [UInt8] = []

    public init(key: SymmetricKey) {
        keyed = PrecomputedHMAC(key: key)
    }

    /// Switches to another key (the next period's), forgetting every code of the old one.
    public mutating func rekey(_ key: SymmetricKey) {
        keyed = PrecomputedHMAC(key: key)
        generation &+= 1
        if generation == 0 {
            cache = []
            generation = 1
        }
    }

    /// The first 64 bits of HMAC-SHA256(key, domain || value).
    package func code(of value: Span<UInt8>, domain: Domain) -> UInt64 {
        keyed.code(prefix: domain.rawValue, value: value)
    }

    /// The same code for a message that already begins with its domain's byte (`Domain.rawValue`).
    package func code(ofPrefixed message: Span<UInt8>) -> UInt64 {
        keyed.code(message: message)
    }

    /// An address's code, from its canonical text (IPv4-mapped addresses are given as IPv4 by the caller).
    public mutating func code(of address: IPAddress) -> UInt64 {
        let (high, low) = Self.cacheKey(address)
        let slot = Self.cacheSlot(high, low)
        if cache.isEmpty { cache = Array(repeating: CacheEntry(), count: Self.cacheSlots) }
        let entry = cache[slot]
        if entry.generation == generation && entry.high == high && entry.low == low { return entry.code }
        addressText.removeAll(keepingCapacity: true)
        addressText.append(Domain.address.rawValue)
        address.append(to: &addressText)
        let computed = keyed.code(message: addressText.span)
        cache[slot] = CacheEntry(high: high, low: low, code: computed, generation: generation)
        return computed
    }

    /// Where the address cache lies (nil before the first address): the pool asks for an address's entry, at
    /// `cacheOffset(of:)` from here, a line ahead of `code(of:)`, since a client not seen lately is a miss to main
    /// memory that the worker would otherwise wait for in line. A hint's address only, never read through.
    var cacheBase: UnsafeRawPointer? {
        cache.isEmpty ? nil : cache.withUnsafeBytes { $0.baseAddress }
    }

    /// The byte offset of an address's entry from `cacheBase`.
    @inline(__always)
    static func cacheOffset(of address: IPAddress) -> Int {
        let (high, low) = cacheKey(address)
        return cacheSlot(high, low) &* MemoryLayout<CacheEntry>.stride
    }

    @inline(__always)
    private static func cacheKey(_ address: IPAddress) -> (high: UInt64, low: UInt64) {
        switch address {
        case .v4(let value): return (UInt64.max, UInt64(value))
        case .v6(let h, let l): return (h, l)
        }
    }

    @inline(__always)
    private static func cacheSlot(_ high: UInt64, _ low: UInt64) -> Int {
        Int(truncatingIfNeeded: (high &* 0x9E37_79B9_7F4A_7C15 ^ low &* 0xC2B2_AE3D_27D4_EB4F) >> 48)
    }

    /// Appends `h:` and the code's 16 hex digits.
    public static func append<Out: ByteAppendable & ~Copyable>(_ code: UInt64, to out: inout Out) {
        // Built on the stack and appended once: one capacity check, not eighteen.
        var text = InlineText()
        text.append(UInt8(ascii: "h"))
        text.append(UInt8(ascii: ":"))
        for index in 0..<hexDigits {
            let nibble = UInt8(truncatingIfNeeded: code >> UInt64(60 - 4 * index)) & 0xF
            text.append(nibble < 10 ? 0x30 + nibble : 0x61 + nibble - 10)
        }
        text.withBytes { out.appendBytes($0) }
    }

    /// The pseudonym text of `value` in `domain`.
    package mutating func pseudonym(of value: Span<UInt8>, domain: Domain) -> [UInt8] {
        var text: [UInt8] = []
        Self.append(code(of: value, domain: domain), to: &text)
        return text
    }

    public mutating func pseudonym(of value: [UInt8], domain: Domain) -> [UInt8] {
        pseudonym(of: value.span, domain: domain)
    }
}
