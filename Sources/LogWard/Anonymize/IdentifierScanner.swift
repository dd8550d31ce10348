import CMemory
import LogWardPolicy

/// Finds identifiers inside free text (URLs, headers, agents, unparsed lines): e-mail addresses (also `%40`-,
/// `%2540`- and `&#64;`-encoded), IPv4 and IPv6 addresses wherever they stand (after `ip:`, `client_`, a
/// percent-escape, with a port or in brackets, with leading zeros, their separators encoded), and IPv4 written as one
/// integer (`http://3325256824/`). It fails closed: an address-shaped token is an address, except a product version
/// in a user agent (`Chrome/129.0.0.0`).
public enum IdentifierScanner {
    public enum Kind: Equatable, Sendable {
        case email
        case address(IPAddress)
    }

    public struct Match: Equatable, Sendable {
        public var range: Range<Int>
        public var kind: Kind
    }

    /// Where the text comes from.
    public enum Context: Sendable {
        case text
        /// A user agent: `Name/1.2.3.4` is a product version.
        case userAgent
    }

    /// Whether `bytes` can hold any identifier at all: an e-mail needs `@`, `%40` or `&#64;`, an IPv4 address three
    /// dots (`%2E`, `&#46;`), an IPv6 address two colons (`%3A`, `&#58;`), an integer address `://`. One tight pass, so
    /// most fields skip the real scan.
    package static func mayContainIdentifier(_ bytes: Span<UInt8>, addresses: Bool) -> Bool {
        guard !bytes.isEmpty else { return false }
        // One pass, 16 bytes at a time, for all four bytes (three passes of memchr were 2% of a pass).
        let mayHold = bytes.withUnsafeBytes { logward_may_hold_identifier($0.baseAddress!, $0.count, addresses ? 1 : 0) != 0 }
        if mayHold { return true }
        return addresses && integerHostMayFollow(bytes)
    }

    /// `scheme://` followed by a digit: the only shape of an integer address the byte counts above miss.
    private static func integerHostMayFollow(_ bytes: Span<UInt8>) -> Bool {
        var from = 0
        while let colon = ByteSearch.firstIndex(of: UInt8(ascii: ":"), in: bytes, from: from) {
            if colon + 3 < bytes.count, bytes[colon + 1] == UInt8(ascii: "/"), bytes[colon + 2] == UInt8(ascii: "/"),
               isDigit(bytes[colon + 3]) { return true }
            from = colon + 1
        }
        return false
    }

    /// Whether `text` holds an identifier `scan` finds (an address, an e-mail, an account id, a token).
    package static func containsIdentifier(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        return !scan(bytes.span).isEmpty
    }

    /// Matches in order, not overlapping. `addresses` false finds e-mails only.
    package static func scan(_ bytes: Span<UInt8>, addresses: Bool = true, context: Context = .text) -> [Match] {
        guard mayContainIdentifier(bytes, addresses: addresses) else { return [] }
        var matches: [Match] = []
        var index = 0
        let count = bytes.count
        var consumedUpTo = 0
        while index < count {
            let byte = bytes[index]
            if let atLength = atSignLength(bytes, at: index) {
                if let range = email(bytes, at: index, atLength: atLength, notBefore: consumedUpTo) {
                    // An address found just before belongs to the e-mail's local part: the e-mail wins.
                    while let last = matches.last, last.range.upperBound > range.lowerBound { matches.removeLast() }
                    matches.append(Match(range: range, kind: .email))
                    consumedUpTo = range.upperBound
                    index = range.upperBound
                    continue
                }
                index += atLength
                continue
            }
            guard addresses else {
                index += 1
                continue
            }
            if byte == UInt8(ascii: "/"), let (range, address) = integerHost(bytes, slashes: index) {
                matches.append(Match(range: range, kind: .address(address)))
                index = range.upperBound
                consumedUpTo = index
                continue
            }
            // `http%3A%2F%2F3325256824%2F`: an integer host after an encoded `//`.
            if byte == UInt8(ascii: "%"), let (range, address) = integerHost(bytes, encodedSlashes: index) {
                matches.append(Match(range: range, kind: .address(address)))
                index = range.upperBound
                consumedUpTo = index
                continue
            }
            // `2001%3Adb8%3A%3A1`, `192%2E0%2E2%2E1`, `192&#46;0&#46;2&#46;1`: an address whose separators are encoded.
            if index >= consumedUpTo,
               byte == UInt8(ascii: "%") || byte == UInt8(ascii: "&") || (isHex(byte) && startsRun(bytes, at: index)),
               let (range, address) = encodedAddress(bytes, at: index) {
                matches.append(Match(range: range, kind: .address(address)))
                index = range.upperBound
                consumedUpTo = index
                continue
            }
            // A percent-escape separates like the byte it stands for: `%2C198.51.100.97`, `%5B2001:db8::86%5D`.
            if byte == UInt8(ascii: "%"), index + 2 < count, isHex(bytes[index + 1]), isHex(bytes[index + 2]) {
                index += 3
                continue
            }
            if index >= consumedUpTo, isHex(byte) || byte == UInt8(ascii: ":"), startsRun(bytes, at: index) {
                let found = matches.count
                index = addressesInRun(bytes, from: index, context: context, into: &matches)
                // Only an address found ends what an e-mail's local part may reach back over.
                if matches.count > found { consumedUpTo = matches.last!.range.upperBound }
                continue
            }
            index += 1
        }
        return matches
    }

    /// The length of an e-mail's at-sign at `index`: `@`, `%40`, `%2540` (encoded twice), or `&#64;` / `&#x40;`.
    private static func atSignLength(_ bytes: Span<UInt8>, at index: Int) -> Int? {
        let byte = bytes[index]
        if byte == UInt8(ascii: "@") { return 1 }
        if byte == UInt8(ascii: "&") {
            guard let (value, length) = characterReference(bytes, at: index), value == 0x40 else { return nil }
            return length
        }
        guard byte == UInt8(ascii: "%"), index + 2 < bytes.count else { return nil }
        if bytes[index + 1] == UInt8(ascii: "4"), bytes[index + 2] == UInt8(ascii: "0") { return 3 }
        if index + 4 < bytes.count, bytes[index + 1] == UInt8(ascii: "2"), bytes[index + 2] == UInt8(ascii: "5"),
           bytes[index + 3] == UInt8(ascii: "4"), bytes[index + 4] == UInt8(ascii: "0") { return 5 }
        return nil
    }

    /// Whether a run of address bytes (hex digits, `:`, `.`) starts at `index`: the byte before is none of them,
    /// or ends a percent-escape (`%2F198.51.100.85`, `%5B2001:db8::1%5D`).
    private static func startsRun(_ bytes: Span<UInt8>, at index: Int) -> Bool {
        if index == 0 { return true }
        let before = bytes[index - 1]
        if !(isHex(before) || before == UInt8(ascii: ":") || before == UInt8(ascii: ".")) { return true }
        return index >= 3 && bytes[index - 3] == UInt8(ascii: "%") && isHex(bytes[index - 2]) && isHex(before)
    }

    /// Reads the run of address bytes at `start`: the whole run as one address (IPv6, IPv4, IPv4-mapped), else every
    /// dotted quad inside it (`198.51.100.79:8080`, `:198.51.100.84`, leading zeros). Returns where the run ends.
    private static func addressesInRun(_ bytes: Span<UInt8>, from start: Int, context: Context,
                                       into matches: inout [Match]) -> Int {
        let count = bytes.count
        var end = start
        var dots = 0
        var colons = 0
        while end < count {
            let byte = bytes[end]
            if byte == UInt8(ascii: ".") {
                dots += 1
            } else if byte == UInt8(ascii: ":") {
                colons += 1
            } else if !isHex(byte) {
                break
            }
            end += 1
        }
        // No address has fewer than three dots (IPv4) or two colons (IPv6): most runs are words (`Mozilla`, `5.0`).
        if dots < 3 && colons < 2 { return max(end, start + 1) }
        var candidateEnd = end
        // A sentence or URL may end right after an address: "1.2.3.4." is still 1.2.3.4.
        while candidateEnd > start, bytes[candidateEnd - 1] == UInt8(ascii: ".") { candidateEnd -= 1 }
        let isVersion = context == .userAgent && followsProductName(bytes, at: start)
        let followedByWord = end < count && isWordByte(bytes[end])
        if candidateEnd > start, !followedByWord, !isVersion,
           let address = IPAddress.parse(bytes.extracting(start..<candidateEnd)) {
            matches.append(Match(range: start..<candidateEnd, kind: .address(address)))
            return candidateEnd
        }
        // `ip:2001:db8::5`: a label's colon before an IPv6 address joins the run; the address is what follows it.
        if colons >= 3, !followedByWord, bytes[start] == UInt8(ascii: ":"), start + 1 < candidateEnd, bytes[start + 1] != UInt8(ascii: ":"),
           let address = IPAddress.parseV6(bytes.extracting((start + 1)..<candidateEnd)) {
            matches.append(Match(range: (start + 1)..<candidateEnd, kind: .address(address)))
            return candidateEnd
        }
        var position = start
        while position < candidateEnd {
            let boundary = position == start || !(isDigit(bytes[position - 1]) || bytes[position - 1] == UInt8(ascii: "."))
            if boundary, isDigit(bytes[position]), let (quadEnd, value) = dottedQuad(bytes, at: position, limit: candidateEnd) {
                let versionHere = context == .userAgent && followsProductName(bytes, at: position)
                if !versionHere {
                    matches.append(Match(range: position..<quadEnd, kind: .address(.v4(value))))
                }
                position = quadEnd
                continue
            }
            position += 1
        }
        return max(end, start + 1)
    }

    /// An address at `start` whose separators are encoded: an IPv6 address's colons written `%3A`
    /// (`2001%3Adb8%3A%3A1`, `%3A%3Affff%3A198.51.100.7`), an IPv4 address's dots written `%2E`
    /// (`192%2E0%2E2%2E1`), either encoded twice (`%253A`, `%252E`, as e-mails' `%2540`) or as an HTML character
    /// reference (`&#46;`, `&#x3a;`). Hex digits, dots, colons and encoded separators that read as an address once
    /// decoded; the first separator must be an encoded one.
    private static func encodedAddress(_ bytes: Span<UInt8>, at start: Int) -> (Range<Int>, IPAddress)? {
        // Most runs have no encoded separator after their first group: nothing more is read.
        var probe = start
        while probe < bytes.count, probe - start < 4, isHex(bytes[probe]) { probe += 1 }
        guard encodedSeparator(bytes, at: probe) != nil else { return nil }
        // The longest address text (IPv6 with an IPv4 tail) is 45 bytes.
        var decoded = InlineText()
        var position = start
        while position < bytes.count, decoded.count < 45 {
            if let (separator, length) = encodedSeparator(bytes, at: position) {
                decoded.append(separator)
                position += length
            } else if isHex(bytes[position]) || bytes[position] == UInt8(ascii: ".") || bytes[position] == UInt8(ascii: ":") {
                decoded.append(bytes[position])
                position += 1
            } else {
                break
            }
        }
        guard position == bytes.count || !isWordByte(bytes[position]),
              let address = decoded.withBytes({ IPAddress.parse($0) }) else { return nil }
        return (start..<position, address)
    }

    /// `:` for `%3A` or `&#58;`, `.` for `%2E` or `&#46;`, with the escape's length (3, or 5 for `%253A`, `%252E`; a
    /// character reference's own); nil for anything else.
    private static func encodedSeparator(_ bytes: Span<UInt8>, at index: Int) -> (UInt8, Int)? {
        if index < bytes.count, bytes[index] == UInt8(ascii: "&") {
            guard let (value, length) = characterReference(bytes, at: index), value == 0x3A || value == 0x2E else { return nil }
            return (UInt8(value), length)
        }
        guard index + 2 < bytes.count, bytes[index] == UInt8(ascii: "%") else { return nil }
        var digits = index + 1
        if bytes[digits] == UInt8(ascii: "2"), bytes[digits + 1] == UInt8(ascii: "5") { digits += 2 }
        guard digits + 1 < bytes.count else { return nil }
        let high = bytes[digits], low = bytes[digits + 1] | 0x20
        let separator: UInt8
        if high == UInt8(ascii: "3") && low == UInt8(ascii: "a") {
            separator = UInt8(ascii: ":")
        } else if high == UInt8(ascii: "2") && low == UInt8(ascii: "e") {
            separator = UInt8(ascii: ".")
        } else {
            return nil
        }
        return (separator, digits + 2 - index)
    }

    /// An HTML numeric character reference at `index` (`&#46;`, `&#046;`, `&#x2E;`): the code point it names and its
    /// length with the `;`; nil for anything else (`&amp;`, `&#46` without its `;`).
    static func characterReference(_ bytes: Span<UInt8>, at index: Int) -> (UInt32, Int)? {
        guard index + 3 < bytes.count, bytes[index] == UInt8(ascii: "&"), bytes[index + 1] == UInt8(ascii: "#") else { return nil }
        var position = index + 2
        let hexadecimal = bytes[position] | 0x20 == UInt8(ascii: "x")
        if hexadecimal { position += 1 }
        var value: UInt32 = 0
        let digitsStart = position
        // Seven digits name any code point, leading zeros included; a longer run is no reference we decode.
        while position < bytes.count, position - digitsStart < 7 {
            let byte = bytes[position]
            if hexadecimal, let digit = HexDigit.value(byte) {
                value = value * 16 + UInt32(digit)
            } else if !hexadecimal, isDigit(byte) {
                value = value * 10 + UInt32(byte - UInt8(ascii: "0"))
            } else {
                break
            }
            position += 1
        }
        guard position > digitsStart, position < bytes.count, bytes[position] == UInt8(ascii: ";") else { return nil }
        return (value, position + 1 - index)
    }

    /// Four decimal octets (leading zeros allowed: `198.051.100.079` is an address to some parsers) ending before a
    /// digit or a further `.digit`.
    private static func dottedQuad(_ bytes: Span<UInt8>, at start: Int, limit: Int) -> (Int, UInt32)? {
        var value: UInt32 = 0
        var position = start
        for part in 0..<4 {
            if part > 0 {
                guard position < limit, bytes[position] == UInt8(ascii: ".") else { return nil }
                position += 1
            }
            var octet: UInt32 = 0
            var digits = 0
            while position < limit, isDigit(bytes[position]), digits < 4 {
                octet = octet * 10 + UInt32(bytes[position] &- 0x30)
                digits += 1
                position += 1
            }
            guard digits > 0, octet <= 255 else { return nil }
            value = value << 8 | octet
        }
        if position < bytes.count, isDigit(bytes[position]) { return nil }
        if position + 1 < bytes.count, bytes[position] == UInt8(ascii: "."), isDigit(bytes[position + 1]) { return nil }
        return (position, value)
    }

    /// `Chrome/129.0.0.0`, `rv:1.9.0.19`: a run right after `/` that follows a product name, or after Gecko's `rv:`,
    /// is a version. (`ip:198.51.100.84` is not: only `rv:` names a version.)
    private static func followsProductName(_ bytes: Span<UInt8>, at index: Int) -> Bool {
        guard index >= 2 else { return false }
        if bytes[index - 1] == UInt8(ascii: "/") { return isWordByte(bytes[index - 2]) }
        return index >= 3 && bytes[index - 1] == UInt8(ascii: ":") && bytes[index - 2] | 0x20 == UInt8(ascii: "v")
            && bytes[index - 3] | 0x20 == UInt8(ascii: "r") && (index == 3 || !isWordByte(bytes[index - 4]))
    }

    /// `//3325256824/`, `//0xC6336450`, `//0306.0063.0144.0120`: after a URL's `//`, a host that is an IPv4 address
    /// in integer, hex or octal form (what `inet_aton` accepts) but not a plain dotted quad (found as a run).
    private static func integerHost(_ bytes: Span<UInt8>, slashes index: Int) -> (Range<Int>, IPAddress)? {
        guard index + 2 < bytes.count, bytes[index + 1] == UInt8(ascii: "/") else { return nil }
        return integerHost(bytes, at: index + 2)
    }

    /// The same after `%2F%2F` (a URL inside a query value).
    private static func integerHost(_ bytes: Span<UInt8>, encodedSlashes index: Int) -> (Range<Int>, IPAddress)? {
        guard index + 6 < bytes.count else { return nil }
        for offset in [0, 3] {
            guard bytes[index + offset] == UInt8(ascii: "%"), bytes[index + offset + 1] == UInt8(ascii: "2"),
                  bytes[index + offset + 2] | 0x20 == UInt8(ascii: "f") else { return nil }
        }
        return integerHost(bytes, at: index + 6)
    }

    private static func integerHost(_ bytes: Span<UInt8>, at start: Int) -> (Range<Int>, IPAddress)? {
        guard start < bytes.count, isDigit(bytes[start]) else { return nil }
        var end = start
        while end < bytes.count, isHex(bytes[end]) || bytes[end] == UInt8(ascii: ".") || bytes[end] | 0x20 == UInt8(ascii: "x") {
            end += 1
        }
        if end < bytes.count, isWordByte(bytes[end]) || bytes[end] == UInt8(ascii: "-") { return nil }
        guard let value = inetAton(bytes.extracting(start..<end)),
              // A small number after `//` (`//2015/05/`) is a path, not a host.
              value >= 1 << 24 else { return nil }
        return (start..<end, .v4(value))
    }

    /// The classic `inet_aton` forms: one to four parts, each decimal, `0x` hex or `0`-led octal, the last filling the
    /// remaining bytes.
    package static func inetAton(_ text: Span<UInt8>) -> UInt32? {
        guard !text.isEmpty, text.count <= 40 else { return nil }
        var parts: [UInt64] = []
        var position = 0
        while position <= text.count {
            var end = position
            while end < text.count, text[end] != UInt8(ascii: ".") { end += 1 }
            guard end > position, let part = number(text.extracting(position..<end)) else { return nil }
            parts.append(part)
            position = end + 1
        }
        guard parts.count <= 4 else { return nil }
        var value: UInt64 = 0
        for part in parts.dropLast() {
            guard part <= 255 else { return nil }
            value = value << 8 | part
        }
        let remaining = UInt64(8 * (5 - parts.count))
        guard parts.last! < (1 << remaining) else { return nil }
        return UInt32(value << remaining | parts.last!)
    }

    private static func number(_ text: Span<UInt8>) -> UInt64? {
        var radix: UInt64 = 10
        var digits = text.extracting(...)
        if text.count > 2, text[0] == UInt8(ascii: "0"), text[1] | 0x20 == UInt8(ascii: "x") {
            radix = 16
            digits = text.extracting(2...)
        } else if text.count > 1, text[0] == UInt8(ascii: "0") {
            radix = 8
        }
        guard !digits.isEmpty, digits.count <= 12 else { return nil }
        var value: UInt64 = 0
        for byteIndex in digits.indices {
            let byte = digits[byteIndex]
            let digit: UInt64
            if isDigit(byte) {
                digit = UInt64(byte - 0x30)
            } else if byte | 0x20 >= 0x61, byte | 0x20 <= 0x66 {
                digit = UInt64((byte | 0x20) - 0x61 + 10)
            } else {
                return nil
            }
            guard digit < radix else { return nil }
            value = value * radix + digit
        }
        return value
    }

    private static func email(_ bytes: Span<UInt8>, at position: Int, atLength: Int, notBefore: Int) -> Range<Int>? {
        var start = position
        while start > notBefore, isLocalPartByte(bytes[start - 1]) { start -= 1 }
        guard start < position else { return nil }
        var end = position + atLength
        while end < bytes.count, isDomainByte(bytes[end]) { end += 1 }
        while end > position + atLength, bytes[end - 1] == UInt8(ascii: ".") || bytes[end - 1] == UInt8(ascii: "-") { end -= 1 }
        // `oscar@example.com.json`: a file extension after the domain is not part of it; `logo@2x.png` (a retina
        // image) has no domain left once its extension goes.
        while end > position + atLength {
            var lastDot = -1
            for index in (position + atLength)..<end where bytes[index] == UInt8(ascii: ".") { lastDot = index }
            // A domain has a dot and a top-level label of at least two letters.
            guard lastDot > position + atLength, end - lastDot - 1 >= 2 else { return nil }
            let topLevel = bytes.extracting((lastDot + 1)..<end)
            guard topLevel.allSatisfy(isLetter) else { return nil }
            if !fileExtensions.contains(topLevel.map { $0 | 0x20 }) { return start..<end }
            end = lastDot
        }
        return nil
    }

    private static let fileExtensions: Set<[UInt8]> = Set(
        ["png", "jpg", "jpeg", "gif", "svg", "webp", "avif", "ico", "bmp", "css", "js", "mjs", "map", "json", "html",
         "htm", "php", "asp", "aspx", "jsp", "txt", "xml", "pdf", "woff", "woff2", "ttf", "eot", "mp4", "webm", "mp3",
         "csv", "zip", "gz", "vcf", "ics", "rss", "atom"]
            .map { Array($0.utf8) })

    static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

    static func isHex(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x66)
    }

    static func isLetter(_ byte: UInt8) -> Bool { byte | 0x20 >= 0x61 && byte | 0x20 <= 0x7A }

    static func isWordByte(_ byte: UInt8) -> Bool { isLetter(byte) || (byte >= 0x30 && byte <= 0x39) || byte == UInt8(ascii: "_") }

    private static func isLocalPartByte(_ byte: UInt8) -> Bool {
        isWordByte(byte) || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "%") || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-")
    }

    private static func isDomainByte(_ byte: UInt8) -> Bool {
        isLetter(byte) || (byte >= 0x30 && byte <= 0x39) || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "-")
    }
}
