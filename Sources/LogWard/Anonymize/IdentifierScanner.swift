import CMemory

/// Finds identifiers inside free text (URLs, headers, unparsed lines): e-mail addresses (also `%40`-encoded),
/// IPv4 and IPv6 addresses. Boundaries keep version strings such as `Chrome/129.0.0.0` out only where the
/// caller asks for e-mails alone; inside URLs every address-shaped token counts (failing closed).
public enum IdentifierScanner {
    public enum Kind: Equatable, Sendable {
        case email
        case address(IPAddress)
    }

    public struct Match: Equatable, Sendable {
        public var range: Range<Int>
        public var kind: Kind
    }

    /// Whether `bytes` can hold any identifier at all: an e-mail needs `@` or `%40`, an IPv4 address three dots,
    /// an IPv6 address two colons. One tight pass, so most URLs and agents skip the real scan.
    public static func mayContainIdentifier(_ bytes: UnsafeRawBufferPointer, addresses: Bool) -> Bool {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return false }
        // One pass, 16 bytes at a time, for all four bytes (three passes of memchr were 2% of a pass).
        return logward_may_hold_identifier(base, bytes.count, addresses ? 1 : 0) != 0
    }

    /// Matches in order, not overlapping. `addresses` false finds e-mails only.
    public static func scan(_ bytes: UnsafeRawBufferPointer, addresses: Bool = true) -> [Match] {
        guard mayContainIdentifier(bytes, addresses: addresses) else { return [] }
        var matches: [Match] = []
        var index = 0
        let count = bytes.count
        var consumedUpTo = 0
        while index < count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "@") || (byte == UInt8(ascii: "%") && index + 2 < count
                && bytes[index + 1] == UInt8(ascii: "4") && bytes[index + 2] == UInt8(ascii: "0")) {
                let atLength = byte == UInt8(ascii: "@") ? 1 : 3
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
            if addresses, index >= consumedUpTo, isHex(byte) || byte == UInt8(ascii: ":"),
               index == 0 || !isAddressNeighbour(bytes[index - 1]) {
                var end = index
                while end < count, isHex(bytes[end]) || bytes[end] == UInt8(ascii: ":") || bytes[end] == UInt8(ascii: ".") { end += 1 }
                var candidateEnd = end
                // A sentence or URL may end right after an address: "1.2.3.4." is still 1.2.3.4.
                while candidateEnd > index, bytes[candidateEnd - 1] == UInt8(ascii: ".") { candidateEnd -= 1 }
                let followedByWord = end < count && isWordByte(bytes[end])
                if candidateEnd > index, !followedByWord,
                   let address = IPAddress.parse(UnsafeRawBufferPointer(rebasing: bytes[index..<candidateEnd])) {
                    matches.append(Match(range: index..<candidateEnd, kind: .address(address)))
                    index = candidateEnd
                    continue
                }
                index = max(end, index + 1)
                continue
            }
            index += 1
        }
        return matches
    }

    private static func email(_ bytes: UnsafeRawBufferPointer, at position: Int, atLength: Int, notBefore: Int) -> Range<Int>? {
        var start = position
        while start > notBefore, isLocalPartByte(bytes[start - 1]) { start -= 1 }
        guard start < position else { return nil }
        var end = position + atLength
        while end < bytes.count, isDomainByte(bytes[end]) { end += 1 }
        while end > position + atLength, bytes[end - 1] == UInt8(ascii: ".") || bytes[end - 1] == UInt8(ascii: "-") { end -= 1 }
        var lastDot = -1
        for index in (position + atLength)..<end where bytes[index] == UInt8(ascii: ".") { lastDot = index }
        // A domain has a dot and a top-level label of at least two letters.
        guard lastDot > position + atLength, end - lastDot - 1 >= 2 else { return nil }
        for index in (lastDot + 1)..<end where !isLetter(bytes[index]) { return nil }
        // `logo@2x.png` is a retina image, not an address: file extensions are not top-level domains.
        let topLevel = bytes[(lastDot + 1)..<end].map { $0 | 0x20 }
        if fileExtensions.contains(topLevel) { return nil }
        return start..<end
    }

    private static let fileExtensions: Set<[UInt8]> = Set(
        ["png", "jpg", "jpeg", "gif", "svg", "webp", "avif", "ico", "bmp", "css", "js", "mjs", "map", "json", "html",
         "htm", "php", "asp", "aspx", "jsp", "txt", "xml", "pdf", "woff", "woff2", "ttf", "eot", "mp4", "webm", "mp3"]
            .map { Array($0.utf8) })

    static func isHex(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x66)
    }

    static func isLetter(_ byte: UInt8) -> Bool { byte | 0x20 >= 0x61 && byte | 0x20 <= 0x7A }

    static func isWordByte(_ byte: UInt8) -> Bool { isLetter(byte) || (byte >= 0x30 && byte <= 0x39) || byte == UInt8(ascii: "_") }

    /// A byte that, just before a digit run, makes it part of a longer word or number, not an address.
    private static func isAddressNeighbour(_ byte: UInt8) -> Bool {
        isWordByte(byte) || byte == UInt8(ascii: ".") || byte == UInt8(ascii: ":")
    }

    private static func isLocalPartByte(_ byte: UInt8) -> Bool {
        isWordByte(byte) || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "%") || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-")
    }

    private static func isDomainByte(_ byte: UInt8) -> Bool {
        isLetter(byte) || (byte >= 0x30 && byte <= 0x39) || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "-")
    }
}
