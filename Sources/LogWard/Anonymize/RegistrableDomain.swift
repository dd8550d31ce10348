/// The part of a host name an organisation registers (`crawl-66-249-79-130.googlebot.com` -> `googlebot.com`):
/// what truncation keeps of a client host name. Without the Public Suffix List this is an approximation:
/// two labels, or three under the common second-level registries of country domains (`example.co.uk`).
public enum RegistrableDomain {
    private static let secondLevelRegistries: Set<[UInt8]> = Set(
        ["co", "com", "net", "org", "gov", "edu", "ac", "ne", "or", "go", "gob", "nic", "mil"].map { Array($0.utf8) })

    public static func of(_ host: UnsafeRawBufferPointer) -> [UInt8] {
        let lower = host.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }
        let labels = lower.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard labels.count > 2 else { return lower }
        var keep = 2
        if labels[labels.count - 1].count == 2, secondLevelRegistries.contains(Array(labels[labels.count - 2])) { keep = 3 }
        guard labels.count > keep else { return lower }
        return Array(labels.suffix(keep).joined(separator: [UInt8(ascii: ".")]))
    }
}
