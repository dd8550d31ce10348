import Crypto
import LogWardReport

/// Decides whether a line is the requesting person's: the line is of the request's site and days, and names
/// the person, as written in a raw log (the client field is the address or host name, the remote user field is
/// the name, or the address or e-mail appears as a whole token anywhere in the line), or as pseudonymized (one
/// of the person's pseudonyms under a key that still exists appears in the line).
struct ErasureMatcher {
    let request: ErasureRequest
    /// The client as an address, when it is one (IPv4-mapped given as IPv4, as the anonymizer codes it). A line names
    /// it wherever the anonymizer's scanner reads it, in any of its spellings (`2001:0db8:0:0:0:0:0:1`,
    /// `2001%3Adb8%3A%3A1`, `::ffff:c000:201`, `http://3221225985/`), and not as the text of a longer address
    /// (`2001:db8::1:5`, `192.0.2.10`).
    private let address: IPAddress?
    /// Whole-token texts that name the person anywhere in a line, lower-case (a host name, e-mails).
    private let tokens: [[UInt8]]
    private let userName: [UInt8]?
    /// The e-mail as the anonymizer pseudonymizes it: a line names it wherever the scanner finds an e-mail that
    /// normalizes to it (`Jane%40Example.org`, `jane&#x40;example.org`, `jane@example.org.json`).
    private let normalizedEmail: [UInt8]?
    /// `h:` pseudonyms of the person under every key that still exists for the file's policies.
    var pseudonyms: [[UInt8]] = []

    init(_ request: ErasureRequest) {
        self.request = request
        var tokens: [[UInt8]] = []
        var address: IPAddress?
        var userName: [UInt8]?
        var normalizedEmail: [UInt8]?
        switch request.identifier {
        case .client(let text):
            let bare = text.hasPrefix("[") && text.hasSuffix("]") ? String(text.dropFirst().dropLast()) : text
            address = IPAddress.parse(bare).map { $0.mappedIPv4.map { .v4($0) } ?? $0 }
            if address == nil { tokens.append(Array(bare.lowercased().utf8)) }
        case .user(let name):
            userName = Array(name.utf8)
        case .email(let email):
            let lower = email.lowercased()
            tokens.append(Array(lower.utf8))
            tokens.append(Array(lower.replacingOccurrences(of: "@", with: "%40").utf8))
            tokens.append(Array(lower.replacingOccurrences(of: "@", with: "%2540").utf8))
            normalizedEmail = FieldRewriter.normalizedEmail(Array(email.utf8).span)
        }
        self.address = address
        self.tokens = tokens
        self.userName = userName
        self.normalizedEmail = normalizedEmail
    }

    /// The person's pseudonyms under one key, as the anonymizer writes them for each field that names them.
    func pseudonyms(under key: SymmetricKey) -> [[UInt8]] {
        var pseudonymizer = Pseudonymizer(key: key)
        var result: [[UInt8]] = []
        switch request.identifier {
        case .client(let text):
            if let address {
                var out: [UInt8] = []
                Pseudonymizer.append(pseudonymizer.code(of: address), to: &out)
                result.append(out)
            } else {
                result.append(pseudonymizer.pseudonym(of: Array(text.lowercased().utf8), domain: .address))
            }
        case .user(let name):
            result.append(pseudonymizer.pseudonym(of: Array(name.utf8), domain: .user))
        case .email(let email):
            let normalized = FieldRewriter.normalizedEmail(Array(email.utf8).span)
            result.append(pseudonymizer.pseudonym(of: normalized, domain: .email))
        }
        return result
    }

    /// Whether a parsed line is the person's. `site` is the line's site as the pass resolved it.
    func matches(_ record: LogRecord, line: Span<UInt8>, site: String) -> Bool {
        guard site == request.site else { return false }
        if let time = record.timestamp?.epochSeconds, !request.covers(day: Timestamp.dayNumber(time)) { return false }
        if let userName, record.remoteUser.isPresent, line.extracting(record.remoteUser.range).elementsEqual(userName) { return true }
        if let address, record.clientAddress.isPresent {
            let parsed = record.clientIP ?? IPAddress.parse(line.extracting(record.clientAddress.range))
            if let parsed, (parsed.mappedIPv4.map { IPAddress.v4($0) } ?? parsed) == address { return true }
        }
        return names(line)
    }

    /// Whether the person's address, host name, e-mail or a pseudonym of theirs appears in the bytes as a whole
    /// token (a line that did not parse is judged by this alone).
    func names(_ line: Span<UInt8>) -> Bool {
        for token in tokens where Self.containsToken(line, token) { return true }
        for pseudonym in pseudonyms where Self.containsToken(line, pseudonym) { return true }
        if let normalizedEmail, Self.contains(email: normalizedEmail, in: line) { return true }
        if let address { return Self.contains(address, in: line) }
        return false
    }

    /// Whether the scanner finds an e-mail in `line` that normalizes to `normalized`.
    static func contains(email normalized: [UInt8], in line: Span<UInt8>) -> Bool {
        IdentifierScanner.scan(line, addresses: false).contains { match in
            match.kind == .email && FieldRewriter.normalizedEmail(line.extracting(match.range)) == normalized
        }
    }

    /// Whether the scanner that finds addresses for the anonymizer finds `address` in `line`.
    static func contains(_ address: IPAddress, in line: Span<UInt8>) -> Bool {
        IdentifierScanner.scan(line, addresses: true).contains { match in
            guard case .address(let found) = match.kind else { return false }
            return (found.mappedIPv4.map { IPAddress.v4($0) } ?? found) == address
        }
    }

    /// A byte that can continue an address, host name, e-mail or pseudonym: a match must not have one on
    /// either side (`192.0.2.1` is not in `192.0.2.10`).
    private static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "."), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "@"), UInt8(ascii: "+"):
            return true
        default:
            return false
        }
    }

    /// Case-insensitive (ASCII) whole-token search; `needle` is lower-case.
    static func containsToken(_ haystack: Span<UInt8>, _ needle: [UInt8]) -> Bool {
        guard !needle.isEmpty, haystack.count >= needle.count else { return false }
        let first = needle[0]
        var start = 0
        while start + needle.count <= haystack.count {
            let byte = haystack[start]
            if byte == first || (byte >= 0x41 && byte <= 0x5A && byte | 0x20 == first) {
                var index = 1
                while index < needle.count {
                    let candidate = haystack[start + index]
                    let folded = candidate >= 0x41 && candidate <= 0x5A ? candidate | 0x20 : candidate
                    if folded != needle[index] { break }
                    index += 1
                }
                if index == needle.count {
                    let before = start == 0 ? nil : haystack[start - 1]
                    let after = start + needle.count < haystack.count ? haystack[start + needle.count] : nil
                    // A pseudonym's `h:` or a colon of an IPv6 address ends at a colon too: only the bytes beside the
                    // match decide.
                    if !(before.map(isTokenByte) ?? false) && !(after.map(isTokenByte) ?? false) { return true }
                }
            }
            start += 1
        }
        return false
    }
}
