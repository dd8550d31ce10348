import LogWardPolicy
/// The part of a host name an organisation registers (`crawl-66-249-79-130.googlebot.com` -> `googlebot.com`):
/// what truncation keeps of a client host name. Without the Public Suffix List this is an approximation:
/// two labels, or three under the common second-level registries of country domains (`example.co.uk`).
public enum RegistrableDomain {
    private static let secondLevelRegistries: Set<[UInt8]> = Set(
        ["co", "com", "net", "org", "gov", "edu", "ac", "ne", "or", "go", "gob", "nic", "mil"].map { Array($0.utf8) })

    /// Top-level names of private networks: a host under them (`mallorys-laptop.lan`) names a machine, not an
    /// organisation.
    private static let privateTopLevels: Set<[UInt8]> = Set(
        ["local", "lan", "home", "internal", "intranet", "corp", "private", "localdomain", "localhost", "test", "invalid"]
            .map { Array($0.utf8) })

    /// The registrable domain, or nil when the name has none: a single label (`mallorys-laptop`,
    /// `3_343_lt_someone`) or a private network's name. Truncation then keeps nothing.
    package static func of(_ host: Span<UInt8>) -> [UInt8]? {
        let lower = host.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }
        let labels = lower.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard labels.count >= 2, labels.allSatisfy({ !$0.isEmpty }), !privateTopLevels.contains(Array(labels.last!)),
              !lower.contains(UInt8(ascii: "_")) else { return nil }
        guard labels.count > 2 else { return lower }
        var keep = 2
        if labels[labels.count - 1].count == 2, secondLevelRegistries.contains(Array(labels[labels.count - 2])) { keep = 3 }
        guard labels.count > keep else { return lower }
        return Array(labels.suffix(keep).joined(separator: [UInt8(ascii: ".")]))
    }
}
