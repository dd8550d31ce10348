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
    mutating func url<Out: ByteAppendable & ~Copyable>(_ value: UnsafeRawBufferPointer, part: URLPart, into out: inout Out) throws {
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
                try freeText(UnsafeRawBufferPointer(rebasing: value[..<pathStart]), addresses: true, into: &origin)
                origin.append(UInt8(ascii: "/"))
                out.append(contentsOf: origin)
                if !origin.elementsEqual(value) { counts[.referrer] += 1 }
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
        var replacements: [(Range<Int>, [UInt8])] = []
        // Account ids in path segments.
        if pathStart < queryStart {
            let path = UnsafeRawBufferPointer(rebasing: value[pathStart..<queryStart])
            if accountPrefilter.mayMatch(path, policyIndex: policyIndex),
               accountPatterns[policyIndex].appendIdentifiers(in: path, to: &identifiers) {
                defer { identifiers.removeAll(keepingCapacity: true) }
                for (range, placeholder) in identifiers {
                    let absolute = (range.lowerBound + pathStart)..<(range.upperBound + pathStart)
                    if let replacement = try accountReplacement(UnsafeRawBufferPointer(rebasing: value[absolute]), placeholder: placeholder) {
                        replacements.append((absolute, replacement))
                    }
                }
            }
        }
        var end = value.count
        if queryStart < value.count {
            if action(.queryString) == .drop {
                // `%q` is empty or starts with `?`; `$args` never has one: nothing of it stays either way.
                end = queryStart
                counts[.queryString] += 1
            } else {
                try addAccountParameters(value, from: queryStart, to: &replacements)
            }
        }
        let kept = UnsafeRawBufferPointer(rebasing: value[..<end])
        try addTokenReplacements(kept, base: 0, addresses: true, to: &replacements)
        if part == .query && end == 0 {
            out.append(Self.dash)
            return
        }
        Self.emit(kept, replacements, into: &out)
    }

    private mutating func accountReplacement(_ value: UnsafeRawBufferPointer, placeholder: [UInt8]) throws -> [UInt8]? {
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

    /// `?uid=42&sort=asc` with `uid` named in the rules: the value of `uid` is an account id.
    private mutating func addAccountParameters(_ value: UnsafeRawBufferPointer, from start: Int,
                                               to replacements: inout [(Range<Int>, [UInt8])]) throws {
        let names = accountParameterNames[policyIndex]
        guard !names.isEmpty else { return }
        var position = start
        if position < value.count, value[position] == UInt8(ascii: "?") { position += 1 }
        while position < value.count {
            var pairEnd = position
            while pairEnd < value.count, value[pairEnd] != UInt8(ascii: "&"), value[pairEnd] != UInt8(ascii: ";"),
                  value[pairEnd] != UInt8(ascii: "#") { pairEnd += 1 }
            if let equals = value[position..<pairEnd].firstIndex(of: UInt8(ascii: "=")) {
                let key = UnsafeRawBufferPointer(rebasing: value[position..<equals])
                if names.contains(where: { Self.equalsIgnoringASCIICase(key, lowercased: $0) }),
                   let replacement = try accountReplacement(UnsafeRawBufferPointer(rebasing: value[(equals + 1)..<pairEnd]),
                                                          placeholder: Self.idPlaceholder) {
                    replacements.append(((equals + 1)..<pairEnd, replacement))
                }
            }
            position = pairEnd + 1
        }
    }

    static let idPlaceholder = PathPattern.placeholder("id")

    /// Compared in place: a query string is read on every line, a lower-cased copy of each key would be an allocation.
    static func equalsIgnoringASCIICase(_ bytes: UnsafeRawBufferPointer, lowercased name: [UInt8]) -> Bool {
        guard bytes.count == name.count else { return false }
        for index in 0..<name.count {
            let byte = bytes[index]
            if (byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte) != name[index] { return false }
        }
        return true
    }

    /// Where the path of a URL starts: after `scheme://authority` for an absolute URL, else at 0.
    static func pathStart(_ value: UnsafeRawBufferPointer) -> Int {
        // Relative targets (`/path`) are the common case: no scheme to look for.
        guard value.count > 2, value[0] != UInt8(ascii: "/"),
              let colon = value.prefix(16).firstIndex(of: UInt8(ascii: ":")),
              colon + 2 < value.count, value[colon + 1] == UInt8(ascii: "/"), value[colon + 2] == UInt8(ascii: "/") else { return 0 }
        var index = colon + 3
        while index < value.count, value[index] != UInt8(ascii: "/"), value[index] != UInt8(ascii: "?"), value[index] != UInt8(ascii: "#") {
            index += 1
        }
        return index
    }
}
