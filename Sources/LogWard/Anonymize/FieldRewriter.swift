import LogWardPolicy
/// Applies one policy's field actions to field values, appending the result to an output line; what it changes is
/// counted per field class (`counts`) for the report.
package struct FieldRewriter {
    let policies: [Policy]
    let pool: PseudonymizerPool
    /// Per policy, the lower-cased query parameter names that carry account ids.
    let accountParameterNames: [[[UInt8]]]
    /// Per policy, the action of each field class by `FieldClass.index`: looked up on every field of every line.
    private let actionTable: [FieldAction]
    /// Per policy, the few numbers the hot path needs, so no `Policy` value is copied per line.
    private let ipv4Prefixes: [Int]
    private let ipv6Prefixes: [Int]
    private let periodDays: [Int]
    private let policyIDs: [String]
    /// Per policy, the path patterns that mark account ids.
    let accountPatterns: [PathPatternSet]
    /// The patterns' first segments, for the test nearly every URL stops at.
    let accountPrefilter: PathPatternPrefilter
    /// Per policy: whether id-shaped path segments are replaced, and the query parameters whose values it keeps
    /// (nil: all but the built-in ones).
    let idShapedSegments: [Bool]
    let keptQueryParameters: [[[UInt8]]?]

    /// The policy and instant of the line being rewritten.
    var policyIndex = 0
    var epoch: Int64 = 0
    var counts = AnonymizationCounts()
    /// The last hashed client address and its code, with the policy and key period it holds for: lines come in
    /// runs of one client, and a run's lines skip the key lookup and the pseudonym cache.
    private var lastClient: (address: IPAddress, policyIndex: Int, periodStart: Int64, periodEnd: Int64, code: UInt64)?
    /// The account ids of the URL being rewritten, reused URL after URL.
    var identifiers: [(Range<Int>, [UInt8])] = []
    /// Reused URL after URL (see `url`).
    var urlReplacements: [(Range<Int>, [UInt8])] = []
    /// User agents the detectors found nothing in.
    private var cleanAgents = CleanTextCache()
    /// Whether the last `addTokenReplacements` ran the detectors and they found nothing (whatever the policy).
    private var lastScanFoundNothing = false

    /// The tables are the compiled set's own (shared, not copied): kept as fields so a lookup reaches no class.
    init(compiled: CompiledPolicies, pool: PseudonymizerPool) {
        policies = compiled.policies
        self.pool = pool
        accountParameterNames = compiled.accountParameterNames
        actionTable = compiled.actionTable
        ipv4Prefixes = compiled.ipv4Prefixes
        ipv6Prefixes = compiled.ipv6Prefixes
        periodDays = compiled.periodDays
        policyIDs = compiled.ids
        accountPatterns = compiled.accountPatterns
        accountPrefilter = compiled.accountPrefilter
        idShapedSegments = compiled.idShapedSegments
        keptQueryParameters = compiled.keptQueryParameters
    }

    var policy: Policy { policies[policyIndex] }

    @inline(__always)
    func action(_ fieldClass: FieldClass) -> FieldAction { actionTable[policyIndex &* FieldClass.count &+ fieldClass.index] }

    static var dash: UInt8 { UInt8(ascii: "-") }

    func pseudonym(_ value: Span<UInt8>, _ domain: Pseudonymizer.Domain) throws -> [UInt8] {
        try pool.pseudonym(policyIndex: policyIndex, policyID: policyIDs[policyIndex], periodDays: periodDays[policyIndex],
                           epoch: epoch, value: value, domain: domain)
    }

    func pseudonym(_ value: [UInt8], _ domain: Pseudonymizer.Domain) throws -> [UInt8] {
        try pseudonym(value.span, domain)
    }

    // MARK: Addresses

    /// Client address or one forwarded-for entry: an IP (bracketed or not) or a host name.
    /// Returns the replacement, or nil to keep the bytes.
    func addressReplacement(_ value: Span<UInt8>, action: FieldAction) throws -> [UInt8]? {
        var text: [UInt8] = []
        return try appendAddress(value, action: action, into: &text) ? text : nil
    }

    /// Appends the rewritten address and returns true, or appends nothing and returns false when it is kept.
    /// `parsed` is the value already parsed as an address (by the record parser), if it is one.
    func appendAddress<Out: ByteAppendable & ~Copyable>(_ value: Span<UInt8>, parsed: IPAddress? = nil, action: FieldAction,
                                                        into out: inout Out) throws -> Bool {
        switch action {
        case .keep:
            return false
        case .drop:
            out.append(Self.dash)
        case .truncate, .hash:
            // Already a pseudonym (an anonymized log anonymized again): nothing identifying is left to hash.
            if action == .hash && ClientAddressKind.isPseudonym(value) { return false }
            let bracketed = value.count > 2 && value.first == UInt8(ascii: "[") && value.last == UInt8(ascii: "]")
            let inner = bracketed ? value.extracting(1..<value.count - 1) : value
            if var address = parsed ?? IPAddress.parse(inner) {
                // An IPv4-mapped IPv6 address is an IPv4 client: it gets the IPv4 treatment.
                if let v4 = address.mappedIPv4 { address = .v4(v4) }
                if action == .truncate {
                    address.truncated(ipv4Bits: ipv4Prefixes[policyIndex], ipv6Bits: ipv6Prefixes[policyIndex]).append(to: &out)
                } else {
                    let code = try pool.code(policyIndex: policyIndex, policyID: policyIDs[policyIndex],
                                             periodDays: periodDays[policyIndex], epoch: epoch, address: address)
                    Pseudonymizer.append(code, to: &out)
                }
            } else if action == .truncate {
                out.append(contentsOf: RegistrableDomain.of(inner) ?? [Self.dash])
            } else {
                let lower = inner.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }
                out.append(contentsOf: try pseudonym(lower, .address))
            }
        }
        return true
    }

    mutating func clientAddress<Out: ByteAppendable & ~Copyable>(_ value: Span<UInt8>, parsed: IPAddress? = nil,
                                                                 into out: inout Out) throws {
        if value.isEmpty || (value.count == 1 && value[0] == Self.dash) {
            out.appendBytes(value)
            return
        }
        let clientAction = action(.clientAddress)
        if clientAction == .hash, var address = parsed {
            // The same treatment `appendAddress` gives a parsed address, with the run of one client remembered.
            if let v4 = address.mappedIPv4 { address = .v4(v4) }
            let code: UInt64
            if let last = lastClient, last.address == address, last.policyIndex == policyIndex,
               epoch >= last.periodStart, epoch < last.periodEnd {
                code = last.code
            } else {
                code = try pool.code(policyIndex: policyIndex, policyID: policyIDs[policyIndex], periodDays: periodDays[policyIndex],
                                     epoch: epoch, address: address)
                let length = Int64(periodDays[policyIndex]) * 86_400
                let periodStart = epoch.floorDivided(by: length) * length
                lastClient = (address, policyIndex, periodStart, periodStart + length, code)
            }
            Pseudonymizer.append(code, to: &out)
            // A pseudonym never reads as an address: the field always changed.
            counts[.clientAddress] += 1
            return
        }
        let start = out.count
        if try appendAddress(value, parsed: parsed, action: clientAction, into: &out) {
            if !out.bytesEqual(from: start, value) { counts[.clientAddress] += 1 }
        } else {
            out.appendBytes(value)
        }
    }

    /// `X-Forwarded-For: client, proxy1, proxy2`: every entry gets the forwarded-for action.
    mutating func forwardedFor<Out: ByteAppendable & ~Copyable>(_ value: Span<UInt8>, into out: inout Out) throws {
        let forwardedAction = action(.forwardedFor)
        if value.isEmpty || (value.count == 1 && value[0] == Self.dash) || forwardedAction == .keep {
            out.appendBytes(value)
            return
        }
        if forwardedAction == .drop {
            out.append(Self.dash)
            counts[.forwardedFor] += 1
            return
        }
        var changed = false
        var start = 0
        while start <= value.count {
            var end = start
            while end < value.count, value[end] != UInt8(ascii: ",") { end += 1 }
            var tokenStart = start
            while tokenStart < end, value[tokenStart] == UInt8(ascii: " ") { tokenStart += 1 }
            out.appendBytes(value, start..<tokenStart)
            let token = value.extracting(tokenStart..<end)
            let entry = token.extracting(Self.withoutPort(token))
            if token.elementsEqual("unknown".utf8) || token.elementsEqual("-".utf8) || token.isEmpty
                || (forwardedAction == .hash && ClientAddressKind.isPseudonym(token)) {
                out.appendBytes(token)
            } else if ClientAddressKind.classify(entry) != nil, let replacement = try addressReplacement(entry, action: forwardedAction) {
                out.append(contentsOf: replacement)
                changed = true
            } else {
                // Not an address nor a host name: nothing to keep that could be trusted.
                out.append(Self.dash)
                changed = true
            }
            if end < value.count { out.append(UInt8(ascii: ",")) }
            start = end + 1
        }
        if changed { counts[.forwardedFor] += 1 }
    }

    /// Where the address is in `192.0.2.1:8080` (`192.0.2.1`) or `[2001:db8::1]:443` (`2001:db8::1`).
    package static func withoutPort(_ token: Span<UInt8>) -> Range<Int> {
        if token.first == UInt8(ascii: "["), let close = token.firstIndex(of: UInt8(ascii: "]")) {
            return 1..<close
        }
        if let colon = token.firstIndex(of: UInt8(ascii: ":")), token.lastIndex(of: UInt8(ascii: ":")) == colon {
            return 0..<colon
        }
        return 0..<token.count
    }

    // MARK: Users, agents, cookies, free text

    mutating func remoteUser<Out: ByteAppendable & ~Copyable>(_ value: Span<UInt8>, into out: inout Out) throws {
        if value.isEmpty || (value.count == 1 && value[0] == Self.dash) {
            out.appendBytes(value)
            return
        }
        switch action(.remoteUser) {
        case .drop, .truncate:
            out.append(Self.dash)
            counts[.remoteUser] += 1
        case .hash:
            out.append(contentsOf: try pseudonym(value, .user))
            counts[.remoteUser] += 1
        case .keep:
            try freeText(value, addresses: true, into: &out)
        }
    }

    mutating func userAgent<Out: ByteAppendable & ~Copyable>(_ value: Span<UInt8>, into out: inout Out) throws {
        if action(.userAgent) == .drop && !(value.count == 1 && value[0] == Self.dash) {
            out.append(Self.dash)
            counts[.userAgent] += 1
            return
        }
        // Bots put contact addresses in their agent string, proxies the client's address; product versions
        // (Chrome/129.0.0.0) are not addresses. A client keeps its agent, and a site sees few: an agent already
        // scanned clean is copied after a byte comparison.
        if cleanAgents.contains(value) {
            out.appendBytes(value)
            return
        }
        try freeText(value, addresses: true, context: .userAgent, into: &out)
        if lastScanFoundNothing { cleanAgents.insert(value) }
    }

    /// A header no rule keeps (or a credential): `-`.
    func dropHeader<Out: ByteAppendable & ~Copyable>(_ value: Span<UInt8>, into out: inout Out) {
        out.append(Self.dash)
    }

    mutating func cookie<Out: ByteAppendable & ~Copyable>(_ value: Span<UInt8>, into out: inout Out) {
        out.append(Self.dash)
        if !(value.count == 1 && value[0] == Self.dash) { counts[.cookies] += 1 }
    }

    /// Any text whose structure logward does not know: e-mails get the e-mail action and, with `addresses`,
    /// every address-shaped token gets the client-address action.
    mutating func freeText<Out: ByteAppendable & ~Copyable>(_ value: Span<UInt8>, addresses: Bool,
                                                           context: IdentifierScanner.Context = .text, into out: inout Out) throws {
        var replacements: [(Range<Int>, [UInt8])] = []
        try addTokenReplacements(value, base: 0, addresses: addresses, context: context, to: &replacements)
        Self.emit(value, replacements, into: &out)
    }

    // MARK: Replacement helpers

    mutating func addTokenReplacements(_ value: Span<UInt8>, base: Int, addresses: Bool,
                                       context: IdentifierScanner.Context = .text,
                                       to replacements: inout [(Range<Int>, [UInt8])]) throws {
        let emailAction = action(.emails)
        let addressAction = action(.clientAddress)
        lastScanFoundNothing = false
        if emailAction == .keep && (!addresses || addressAction == .keep) { return }
        let matches = IdentifierScanner.scan(value, addresses: addresses, context: context)
        lastScanFoundNothing = matches.isEmpty
        for match in matches {
            let range = (match.range.lowerBound + base)..<(match.range.upperBound + base)
            // Inside a range already replaced (a query value): nothing of it is left to replace. One that only
            // overlaps such a range is replaced too, or the part outside it would be written as it is
            // (`ip=192&#46;0&#46;2&#46;1`, whose value stops at the first `&`); `emit` writes both.
            if Self.isCovered(range, by: replacements) { continue }
            let token = value.extracting(match.range)
            switch match.kind {
            case .email:
                switch emailAction {
                case .keep: continue
                case .hash: replacements.append((range, try pseudonym(Self.normalizedEmail(token), .email)))
                case .drop, .truncate: replacements.append((range, Array(":email".utf8)))
                }
                counts[.emails] += 1
            case .address(let address):
                var replacement: [UInt8] = []
                guard try appendAddress(token, parsed: address, action: addressAction, into: &replacement) else { continue }
                replacements.append((range, addressAction == .drop ? Array(":ip".utf8) : replacement))
                counts[.clientAddress] += 1
            }
        }
    }

    /// `John.Doe%40Example.com`, `john.doe%2540example.com`, `john.doe&#64;example.com` and `john.doe@example.com` are
    /// one person: one pseudonym.
    package static func normalizedEmail(_ token: Span<UInt8>) -> [UInt8] {
        var result: [UInt8] = []
        var index = 0
        while index < token.count {
            if token[index] == UInt8(ascii: "&"), let (value, length) = IdentifierScanner.characterReference(token, at: index), value == 0x40 {
                result.append(UInt8(ascii: "@"))
                index += length
                continue
            }
            if token[index] == UInt8(ascii: "%"), index + 2 < token.count, token[index + 1] == UInt8(ascii: "4"), token[index + 2] == UInt8(ascii: "0") {
                result.append(UInt8(ascii: "@"))
                index += 3
                continue
            }
            // `%2540`: the at-sign encoded twice.
            if token[index] == UInt8(ascii: "%"), index + 4 < token.count, token[index + 1] == UInt8(ascii: "2"),
               token[index + 2] == UInt8(ascii: "5"), token[index + 3] == UInt8(ascii: "4"), token[index + 4] == UInt8(ascii: "0") {
                result.append(UInt8(ascii: "@"))
                index += 5
                continue
            }
            let byte = token[index]
            result.append(byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte)
            index += 1
        }
        return result
    }

    /// Whether one of `replacements` covers `range` whole. A range another only overlaps is still to be replaced:
    /// `emit` writes both, and skipping it would copy its part outside the other as it is.
    package static func isCovered(_ range: Range<Int>, by replacements: [(Range<Int>, [UInt8])]) -> Bool {
        replacements.contains { $0.0.lowerBound <= range.lowerBound && range.upperBound <= $0.0.upperBound }
    }

    /// Copies `value` with the replacements applied. Detectors find their ranges independently and two can overlap
    /// (an account id's path segment that holds a `;jsessionid=` parameter): no byte that any range covers is
    /// copied. A range inside one before it adds nothing; one that starts inside it and reaches further is written
    /// after it, in place of its own remaining bytes (fail closed: both are replaced, neither is cut).
    package static func emit<Out: ByteAppendable & ~Copyable>(_ value: Span<UInt8>, _ replacements: [(Range<Int>, [UInt8])], into out: inout Out) {
        guard !replacements.isEmpty else {
            out.appendBytes(value)
            return
        }
        var position = 0
        // One replacement (an account id) is the common case: nothing to sort. Of ranges that start together, the
        // longer first: the shorter is then inside it.
        let ordered = replacements.count == 1 ? replacements : replacements.sorted {
            $0.0.lowerBound < $1.0.lowerBound || ($0.0.lowerBound == $1.0.lowerBound && $0.0.upperBound > $1.0.upperBound)
        }
        for (range, bytes) in ordered {
            let lower = min(range.lowerBound, value.count), upper = min(range.upperBound, value.count)
            if lower < position && upper <= position { continue }
            if lower > position { out.appendBytes(value, position..<lower) }
            out.append(contentsOf: bytes)
            position = max(position, upper)
        }
        out.appendBytes(value, position..<value.count)
    }
}
