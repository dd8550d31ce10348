import LogWardPolicy
extension FieldRewriter {
    enum URLPart {
        /// A request target or `$request_uri`: path and query.
        case target
        /// A referrer: absolute URL, with its own keep/drop/truncate action.
        case referrer
        /// `%U`, `$uri`: a path alone.
        case path
        /// `%q` (with its `?`) or `$args` (without).
        case query
    }

    /// Rewrites a URL: account ids in path segments and query parameters named by the rules, e-mails, and
    /// addresses (a referrer from `http://192.0.2.1/`); the query string kept or dropped by the rules.
    mutating func url<Out: ByteAppendable & ~Copyable>(_ value: Span<UInt8>, part: URLPart, into out: inout Out) throws {
        if value.isEmpty || (value.count == 1 && value[0] == Self.dash) {
            out.appendBytes(value)
            return
        }
        if part == .referrer {
            switch action(.referrer) {
            case .drop:
                out.append(Self.dash)
                counts[.referrer] += 1
                return
            case .truncate:
                // The origin only: scheme and host (addresses in it still get the address action).
                let pathStart = Self.pathStart(value)
                var origin: [UInt8] = []
                try freeText(value.extracting(..<pathStart), addresses: true, into: &origin)
                origin.append(UInt8(ascii: "/"))
                out.append(contentsOf: origin)
                if !value.elementsEqual(origin) { counts[.referrer] += 1 }
                return
            case .keep, .hash:
                break
            }
        }
        let pathStart = part == .query ? 0 : (part == .path ? 0 : Self.pathStart(value))
        var queryStart = value.count
        if part == .query {
            queryStart = 0
        } else if part != .path, let mark = ByteSearch.firstIndex(of: UInt8(ascii: "?"), in: value, from: pathStart) {
            queryStart = mark
        }
        // The buffer of the URL before: a URL whose query values all go (an allow-list) has one replacement each.
        var replacements = urlReplacements
        urlReplacements = []
        defer {
            replacements.removeAll(keepingCapacity: true)
            urlReplacements = replacements
        }
        // Account ids in path segments.
        if pathStart < queryStart {
            let path = value.extracting(pathStart..<queryStart)
            PathIdentifiers.appendSessionParameters(in: path, base: pathStart, to: &replacements)
            if accountPrefilter.mayMatch(path, policyIndex: policyIndex),
               accountPatterns[policyIndex].appendIdentifiers(in: path, to: &identifiers) {
                defer { identifiers.removeAll(keepingCapacity: true) }
                for (range, placeholder) in identifiers {
                    let absolute = (range.lowerBound + pathStart)..<(range.upperBound + pathStart)
                    if let replacement = try accountReplacement(value.extracting(absolute), placeholder: placeholder) {
                        replacements.append((absolute, replacement))
                    }
                }
            }
            if idShapedSegments[policyIndex] {
                let before = replacements.count
                PathIdentifiers.appendIDShapedSegments(in: path, base: pathStart, to: &replacements)
                if replacements.count > before { counts[.accountIDs] += 1 }
            }
        }
        var end = value.count
        if queryStart < value.count {
            if action(.queryString) == .drop {
                // `%q` is empty or starts with `?`; `$args` never has one: nothing of it stays either way.
                end = queryStart
                counts[.queryString] += 1
            } else {
                try addParameterReplacements(value, from: queryStart, inReferrer: part == .referrer, to: &replacements)
            }
        }
        let kept = value.extracting(..<end)
        try addTokenReplacements(kept, base: 0, addresses: true, to: &replacements)
        if part == .query && end == 0 {
            out.append(Self.dash)
            return
        }
        Self.emit(kept, replacements, into: &out)
    }

    private mutating func accountReplacement(_ value: Span<UInt8>, placeholder: [UInt8]) throws -> [UInt8]? {
        guard !value.isEmpty else { return nil }
        switch action(.accountIDs) {
        case .keep:
            return nil
        case .hash:
            counts[.accountIDs] += 1
            return try pseudonym(value, .user)
        case .drop, .truncate:
            counts[.accountIDs] += 1
            return placeholder
        }
    }

    /// The query's values that may not stay: `?uid=42` with `uid` named in the rules is an account id; credentials,
    /// personal data and (in referrers) search terms go under every policy (`QueryParameters`); with an allow-list,
    /// every value it does not name.
    private mutating func addParameterReplacements(_ value: Span<UInt8>, from start: Int, inReferrer: Bool,
                                                   to replacements: inout [(Range<Int>, [UInt8])]) throws {
        let names = accountParameterNames[policyIndex]
        let allowList = keptQueryParameters[policyIndex]
        var position = start
        if position < value.count, value[position] == UInt8(ascii: "?") { position += 1 }
        var changed = false
        while position < value.count {
            var pairEnd = position
            while pairEnd < value.count, value[pairEnd] != UInt8(ascii: "&"), value[pairEnd] != UInt8(ascii: ";"),
                  value[pairEnd] != UInt8(ascii: "#") { pairEnd += 1 }
            if let equals = value.firstIndex(of: UInt8(ascii: "="), in: position..<pairEnd), equals + 1 < pairEnd {
                let key = value.extracting(position..<equals)
                let parameter = value.extracting((equals + 1)..<pairEnd)
                let range = (equals + 1)..<pairEnd
                if names.contains(where: { Self.equalsIgnoringASCIICase(key, lowercased: $0) }) {
                    if let replacement = try accountReplacement(parameter, placeholder: Self.idPlaceholder) {
                        replacements.append((range, replacement))
                    }
                } else if let mark = QueryParameters.mandatoryMark(name: key, value: parameter, inReferrer: inReferrer) {
                    replacements.append((range, mark))
                    changed = true
                } else if let allowList, !allowList.contains(where: { Self.equalsIgnoringASCIICase(key, lowercased: $0) }) {
                    replacements.append((range, QueryParameters.valueMark))
                    changed = true
                }
            }
            position = pairEnd + 1
        }
        if changed { counts[.queryString] += 1 }
    }

    static let idPlaceholder = PathPattern.placeholder("id")

    /// Compared in place: a query string is read on every line, a lower-cased copy of each key would be an allocation.
    static func equalsIgnoringASCIICase(_ bytes: Span<UInt8>, lowercased name: [UInt8]) -> Bool {
        guard bytes.count == name.count else { return false }
        for index in 0..<name.count {
            let byte = bytes[index]
            if (byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte) != name[index] { return false }
        }
        return true
    }

    /// Where the path of a URL starts: after `scheme://authority` for an absolute URL, else at 0.
    package static func pathStart(_ value: Span<UInt8>) -> Int {
        // Relative targets (`/path`) are the common case: no scheme to look for.
        guard value.count > 2, value[0] != UInt8(ascii: "/"),
              let colon = value.extracting(first: 16).firstIndex(of: UInt8(ascii: ":")),
              colon + 2 < value.count, value[colon + 1] == UInt8(ascii: "/"), value[colon + 2] == UInt8(ascii: "/") else { return 0 }
        var index = colon + 3
        while index < value.count, value[index] != UInt8(ascii: "/"), value[index] != UInt8(ascii: "?"), value[index] != UInt8(ascii: "#") {
            index += 1
        }
        return index
    }
}
