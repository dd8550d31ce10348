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

    func findings(_ record: LogRecord, line: UnsafeRawBufferPointer, policyIndex: Int) -> Set<Finding> {
        let policy = policies[policyIndex]
        var found: Set<Finding> = []
        func bytes(_ span: Span) -> UnsafeRawBufferPointer? {
            guard span.isPresent, !span.isDash(in: line) else { return nil }
            let value = span.bytes(in: line)
            return value.isEmpty ? nil : value
        }
        if let value = bytes(record.clientAddress), !addressCompliant(value, policy.action(.clientAddress), policy) {
            found.insert(.clientAddress)
        }
        if let value = bytes(record.forwardedFor), !forwardedCompliant(value, policy) { found.insert(.forwardedFor) }
        if let value = bytes(record.remoteUser) {
            switch policy.action(.remoteUser) {
            case .keep: break
            case .hash: if !Self.isPseudonym(value) { found.insert(.remoteUser) }
            case .drop, .truncate: found.insert(.remoteUser)
            }
        }
        if bytes(record.cookie) != nil { found.insert(.cookie) }
        if let agent = bytes(record.userAgent) {
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
        if let target = bytes(record.target) { checkURL(target, policy: policy, policyIndex: policyIndex, referrer: false, into: &found) }
        if let referrer = bytes(record.referrer) {
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
    static func unparsableFindings(_ line: UnsafeRawBufferPointer) -> Bool {
        IdentifierScanner.scan(line, addresses: true).contains { match in
            if case .address(let address) = match.kind { return !(address.truncated(ipv4Bits: 24, ipv6Bits: 48) == address) }
            return true
        }
    }

    static func isPseudonym(_ value: UnsafeRawBufferPointer) -> Bool { ClientAddressKind.isPseudonym(value) }

    private static func isPlaceholder(_ value: UnsafeRawBufferPointer) -> Bool {
        value.first == UInt8(ascii: ":") || isPseudonym(value)
    }

    /// A client address or forwarded-for entry under `action`.
    private func addressCompliant(_ value: UnsafeRawBufferPointer, _ action: FieldAction, _ policy: Policy) -> Bool {
        switch action {
        case .keep: return true
        case .drop: return false
        case .hash: return Self.isPseudonym(value)
        case .truncate:
            var inner = value
            if inner.count > 2, inner.first == UInt8(ascii: "["), inner.last == UInt8(ascii: "]") {
                inner = UnsafeRawBufferPointer(rebasing: inner.dropFirst().dropLast())
            }
            if var address = IPAddress.parse(inner) {
                if let v4 = address.mappedIPv4 { address = .v4(v4) }
                return address.truncated(ipv4Bits: policy.ipv4Prefix, ipv6Bits: policy.ipv6Prefix) == address
            }
            return RegistrableDomain.of(inner)?.elementsEqual(inner) ?? false
        }
    }

    private func forwardedCompliant(_ value: UnsafeRawBufferPointer, _ policy: Policy) -> Bool {
        let action = policy.action(.forwardedFor)
        if action == .keep { return true }
        if action == .drop { return false }
        for piece in value.split(separator: UInt8(ascii: ",")) {
            var token = UnsafeRawBufferPointer(rebasing: piece)
            while let first = token.first, first == UInt8(ascii: " ") { token = UnsafeRawBufferPointer(rebasing: token.dropFirst()) }
            if token.isEmpty || token.elementsEqual("unknown".utf8) || token.elementsEqual("-".utf8) { continue }
            if action == .hash && Self.isPseudonym(token) { continue }
            if !addressCompliant(FieldRewriter.stripPort(token), action, policy) { return false }
        }
        return true
    }

    private func checkURL(_ value: UnsafeRawBufferPointer, policy: Policy, policyIndex: Int, referrer: Bool, into found: inout Set<Finding>) {
        let pathStart = FieldRewriter.pathStart(value)
        var queryStart = value.count
        if let mark = value[pathStart...].firstIndex(of: UInt8(ascii: "?")) { queryStart = mark }
        if policy.action(.accountIDs) != .keep {
            let path = UnsafeRawBufferPointer(rebasing: value[pathStart..<queryStart])
            for pattern in policy.accountPathPatterns {
                guard let ranges = pattern.identifierRanges(in: path) else { continue }
                if ranges.contains(where: { !Self.isPlaceholder(UnsafeRawBufferPointer(rebasing: path[$0.range])) }) {
                    found.insert(.accountID)
                }
                break
            }
            if queryStart < value.count {
                let allowList = policy.keptQueryParameters.map { Set($0.map { Array($0.utf8) }) }
                for pair in value[(queryStart + 1)...].split(whereSeparator: { $0 == UInt8(ascii: "&") || $0 == UInt8(ascii: ";") }) {
                    guard let equals = pair.firstIndex(of: UInt8(ascii: "=")) else { continue }
                    let key = pair[pair.startIndex..<equals].map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }
                    let parameter = UnsafeRawBufferPointer(rebasing: value[(equals + 1)..<pair.endIndex])
                    guard !parameter.isEmpty, !Self.isPlaceholder(parameter) else { continue }
                    if accountParameterSets[policyIndex].contains(key) {
                        found.insert(.accountID)
                    } else if key.withUnsafeBytes({ QueryParameters.mandatoryMark(name: $0, value: parameter, inReferrer: referrer) }) != nil
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
