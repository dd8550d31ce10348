import LogWardAnonymize
/// The path a statistic is kept under: no query string, account ids replaced by the rules' placeholders
/// (`/users/:id`), e-mails by `:email`, addresses by `:ip`. What stays cannot name a person.
public struct PathNormalizer {
    private let patterns: [PathPatternSet]
    private let idShapedSegments: [Bool]

    public init(policies: [Policy]) { self.init(compiled: CompiledPolicies(policies)) }

    public init(compiled: CompiledPolicies) {
        patterns = compiled.accountPatterns
        idShapedSegments = compiled.idShapedSegments
    }

    /// Where a target's path ends: at its query (`?`) or fragment (`#`), else at its end.
    @inline(__always)
    package static func pathEnd(_ target: Span<UInt8>) -> Int {
        var end = ByteSearch.firstIndex(of: UInt8(ascii: "?"), in: target) ?? target.count
        if let mark = ByteSearch.firstIndex(of: UInt8(ascii: "#"), in: target.extracting(..<end)) { end = mark }
        return end
    }

    package func normalize(_ target: Span<UInt8>, policyIndex: Int) -> [UInt8] {
        let path = target.extracting(..<Self.pathEnd(target))
        var replacements: [(Range<Int>, [UInt8])] = []
        _ = patterns[policyIndex].appendIdentifiers(in: path, to: &replacements)
        PathIdentifiers.appendSessionParameters(in: path, base: 0, to: &replacements)
        if idShapedSegments[policyIndex] { PathIdentifiers.appendIDShapedSegments(in: path, base: 0, to: &replacements) }
        for match in IdentifierScanner.scan(path) where !FieldRewriter.isCovered(match.range, by: replacements) {
            switch match.kind {
            case .email: replacements.append((match.range, Array(":email".utf8)))
            case .address: replacements.append((match.range, Array(":ip".utf8)))
            }
        }
        var out: [UInt8] = []
        FieldRewriter.emit(path, replacements, into: &out)
        return out
    }

    /// The host of a referrer URL, lower-cased, without port or user info; `(ip)` for an address host, nil for none.
    package static func referrerDomain(_ referrer: Span<UInt8>) -> String? {
        guard referrer.count > 1 else { return nil }
        let start = FieldRewriter.pathStart(referrer)
        guard start > 0, let slashes = referrer.firstIndex(of: UInt8(ascii: "/")) else { return nil }
        var hostStart = slashes + 2
        var hostEnd = start
        if let at = referrer.lastIndex(of: UInt8(ascii: "@"), in: hostStart..<hostEnd) { hostStart = at + 1 }
        if hostStart < hostEnd, referrer[hostStart] == UInt8(ascii: "[") { return "(ip)" }
        if let colon = referrer.firstIndex(of: UInt8(ascii: ":"), in: hostStart..<hostEnd) { hostEnd = colon }
        guard hostEnd > hostStart else { return nil }
        let host = referrer.extracting(hostStart..<hostEnd)
        if IPAddress.parse(host) != nil { return "(ip)" }
        return String(storedText: host.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 })
    }
}
