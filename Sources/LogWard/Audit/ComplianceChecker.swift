import LogWardJob
/// Says which identifiers a parsed line still holds that its policy's anonymized form must not: the mirror of
/// `FieldRewriter`. A field is compliant when it is `-`, a pseudonym (`h:`), a placeholder (`:id`, `:email`,
/// `:ip`), or already as short as truncation makes it; anything else the policy does not keep is a finding.
struct ComplianceChecker {
    let policies: [Policy]
    private let accountParameterSets: [Set<[UInt8]>]

    init(compiled: CompiledPolicies) {
        policies = compiled.policies
        accountParameterSets = compiled.accountParameterSets
    }

    func findings(_ record: LogRecord, line: Span<UInt8>, policyIndex: Int) -> Set<Finding> {
        let policy = policies[policyIndex]
        var found: Set<Finding> = []
        /// Whether the field holds a value (not absent, empty or `-`).
        func holdsValue(_ span: FieldSpan) -> Bool { span.count > 0 && !span.isDash(in: line) }
        if holdsValue(record.clientAddress),
           !addressCompliant(line.extracting(record.clientAddress.range), policy.action(.clientAddress), policy) {
            found.insert(.clientAddress)
        }
        if holdsValue(record.forwardedFor), !forwardedCompliant(line.extracting(record.forwardedFor.range), policy) {
            found.insert(.forwardedFor)
        }
        if holdsValue(record.remoteUser) {
            switch policy.action(.remoteUser) {
            case .keep: break
            case .hash: if !Self.isPseudonym(line.extracting(record.remoteUser.range)) { found.insert(.remoteUser) }
            case .drop, .truncate: found.insert(.remoteUser)
            }
        }
        if holdsValue(record.cookie) { found.insert(.cookie) }
        if holdsValue(record.userAgent) {
            let agent = line.extracting(record.userAgent.range)
            if policy.action(.userAgent) == .drop { found.insert(.userAgent) }
            // The same detectors the anonymizer runs on an agent: e-mails, and addresses (`(proxy 203.0.113.9)`).
            for match in IdentifierScanner.scan(agent, addresses: policy.action(.clientAddress) != .keep, context: .userAgent) {
                switch match.kind {
                case .email:
                    if policy.action(.emails) != .keep { found.insert(.email) }
                case .address(var address):
                    if let v4 = address.mappedIPv4 { address = .v4(v4) }
                    if !(policy.action(.clientAddress) == .truncate
                         && address.truncated(ipv4Bits: policy.ipv4Prefix, ipv6Bits: policy.ipv6Prefix) == address) {
                        found.insert(.addressInText)
                    }
                }
            }
        }
        if holdsValue(record.target) {
            checkURL(line.extracting(record.target.range), policy: policy, policyIndex: policyIndex, referrer: false, into: &found)
        }
        if holdsValue(record.referrer) {
            let referrer = line.extracting(record.referrer.range)
            switch policy.action(.referrer) {
            case .drop: found.insert(.referrer)
            case .truncate:
                let pathStart = FieldRewriter.pathStart(referrer)
                if pathStart + 1 < referrer.count { found.insert(.referrer) }
                checkURL(referrer, policy: policy, policyIndex: policyIndex, referrer: true, into: &found)
            case .keep, .hash:
                checkURL(referrer, policy: policy, policyIndex: policyIndex, referrer: true, into: &found)
            }
        }
        return found
    }

    /// Findings in a line that does not parse: any address- or e-mail-shaped token.
    static func unparsableFindings(_ line: Span<UInt8>) -> Bool {
        IdentifierScanner.scan(line, addresses: true).contains { match in
            if case .address(let address) = match.kind { return !(address.truncated(ipv4Bits: 24, ipv6Bits: 48) == address) }
            return true
        }
    }

    static func isPseudonym(_ value: Span<UInt8>) -> Bool { ClientAddressKind.isPseudonym(value) }

    private static func isPlaceholder(_ value: Span<UInt8>) -> Bool {
        value.first == UInt8(ascii: ":") || isPseudonym(value)
    }

    /// A client address or forwarded-for entry under `action`.
    private func addressCompliant(_ value: Span<UInt8>, _ action: FieldAction, _ policy: Policy) -> Bool {
        switch action {
        case .keep: return true
        case .drop: return false
        case .hash: return Self.isPseudonym(value)
        case .truncate:
            let bracketed = value.count > 2 && value.first == UInt8(ascii: "[") && value.last == UInt8(ascii: "]")
            let inner = bracketed ? value.extracting(1..<value.count - 1) : value
            if var address = IPAddress.parse(inner) {
                if let v4 = address.mappedIPv4 { address = .v4(v4) }
                return address.truncated(ipv4Bits: policy.ipv4Prefix, ipv6Bits: policy.ipv6Prefix) == address
            }
            return RegistrableDomain.of(inner).map { inner.elementsEqual($0) } ?? false
        }
    }

    private func forwardedCompliant(_ value: Span<UInt8>, _ policy: Policy) -> Bool {
        let action = policy.action(.forwardedFor)
        if action == .keep { return true }
        if action == .drop { return false }
        var start = 0
        while start < value.count {
            let end = value.firstIndex(of: UInt8(ascii: ","), from: start) ?? value.count
            defer { start = end + 1 }
            var first = start
            while first < end, value[first] == UInt8(ascii: " ") { first += 1 }
            let token = value.extracting(first..<end)
            if token.isEmpty || token.elementsEqual("unknown".utf8) || token.elementsEqual("-".utf8) { continue }
            if action == .hash && Self.isPseudonym(token) { continue }
            if !addressCompliant(token.extracting(FieldRewriter.withoutPort(token)), action, policy) { return false }
        }
        return true
    }

    private func checkURL(_ value: Span<UInt8>, policy: Policy, policyIndex: Int, referrer: Bool, into found: inout Set<Finding>) {
        let pathStart = FieldRewriter.pathStart(value)
        var queryStart = value.count
        if let mark = value.firstIndex(of: UInt8(ascii: "?"), from: pathStart) { queryStart = mark }
        if policy.action(.accountIDs) != .keep {
            let path = value.extracting(pathStart..<queryStart)
            for pattern in policy.accountPathPatterns {
                guard let ranges = pattern.identifierRanges(in: path) else { continue }
                if ranges.contains(where: { !Self.isPlaceholder(path.extracting($0.range)) }) {
                    found.insert(.accountID)
                }
                break
            }
            if queryStart < value.count {
                let allowList = policy.keptQueryParameters.map { Set($0.map { Array($0.utf8) }) }
                var pairStart = queryStart + 1
                while pairStart < value.count {
                    var pairEnd = pairStart
                    while pairEnd < value.count, value[pairEnd] != UInt8(ascii: "&"), value[pairEnd] != UInt8(ascii: ";") { pairEnd += 1 }
                    defer { pairStart = pairEnd + 1 }
                    guard let equals = value.firstIndex(of: UInt8(ascii: "="), in: pairStart..<pairEnd) else { continue }
                    let key = value.extracting(pairStart..<equals).map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }
                    let parameter = value.extracting((equals + 1)..<pairEnd)
                    guard !parameter.isEmpty, !Self.isPlaceholder(parameter) else { continue }
                    if accountParameterSets[policyIndex].contains(key) {
                        found.insert(.accountID)
                    } else if QueryParameters.mandatoryMark(name: key.span, value: parameter, inReferrer: referrer) != nil
                                || (allowList.map { !$0.contains(key) } ?? false) {
                        // What the anonymizer replaces under every policy (a session id, a phone number, a search
                        // term), or a value the policy's allow-list does not keep.
                        found.insert(.queryString)
                    }
                }
            }
        }
        if !referrer, policy.action(.queryString) == .drop, queryStart + 1 < value.count { found.insert(.queryString) }
        let emailAction = policy.action(.emails)
        let addressAction = policy.action(.clientAddress)
        for match in IdentifierScanner.scan(value, addresses: addressAction != .keep) {
            switch match.kind {
            case .email:
                if emailAction != .keep { found.insert(.email) }
            case .address(var address):
                if let v4 = address.mappedIPv4 { address = .v4(v4) }
                let compliant = addressAction == .truncate
                    && address.truncated(ipv4Bits: policy.ipv4Prefix, ipv6Bits: policy.ipv6Prefix) == address
                if !compliant { found.insert(.addressInURL) }
            }
        }
    }
}
