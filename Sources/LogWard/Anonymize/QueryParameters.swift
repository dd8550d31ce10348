import LogWardPolicy
/// Query parameters whose values logward never copies, under any policy: credentials and session ids
/// (`:secret`), personal data (`:personal`), and, in referrers, the search terms people typed (`:search`).
public enum QueryParameters {
    public static let secretMark: [UInt8] = Array(":secret".utf8)
    public static let personalMark: [UInt8] = Array(":personal".utf8)
    public static let searchMark: [UInt8] = Array(":search".utf8)
    /// A value a policy's allow-list does not keep.
    public static let valueMark: [UInt8] = Array(":value".utf8)

    public static let credentialNames = [
        "password", "passwd", "pwd", "pass", "token", "access_token", "id_token", "refresh_token", "api_key", "apikey",
        "key", "auth", "secret", "client_secret", "sid", "session", "sessionid", "session_id", "jsessionid", "phpsessid",
        "aspsessionid", "cfid", "cftoken", "signature", "sig", "otp", "code",
    ]
    public static let personalNames = [
        "name", "first_name", "firstname", "last_name", "lastname", "surname", "fullname", "full_name", "phone", "tel",
        "telephone", "mobile", "cell", "address", "street", "zip", "zipcode", "postcode", "postal_code", "email", "mail",
        "e-mail", "birthday", "dob", "ssn",
    ]
    /// What search engines put the typed words in.
    public static let searchNames = ["q", "p", "query", "text", "wd", "search", "keyword", "keywords", "k", "searchfor"]

    enum Kind: UInt8 {
        case credential, personal, search
    }

    /// A name of at most 16 bytes, lower-cased and packed into two words: matched by length, then two compares,
    /// with no allocation (every parameter of every URL is looked up).
    struct PackedName: Equatable {
        var low: UInt64 = 0
        var high: UInt64 = 0

        init?(_ name: Span<UInt8>) {
            guard !name.isEmpty, name.count <= 16 else { return nil }
            for index in name.indices {
                let byte = name[index]
                let lower = UInt64(byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte)
                if index < 8 { low |= lower << (8 * UInt64(index)) } else { high |= lower << (8 * UInt64(index - 8)) }
            }
        }
    }

    /// Per name length (1 to 16), the names of that length and their kind.
    private static let table: [[(PackedName, Kind)]] = {
        var table = [[(PackedName, Kind)]](repeating: [], count: 17)
        for (names, kind) in [(credentialNames, Kind.credential), (personalNames, .personal), (searchNames, .search)] {
            for name in names {
                let bytes = Array(name.utf8)
                let packed = PackedName(bytes.span)!
                table[bytes.count].append((packed, kind))
            }
        }
        return table
    }()

    static func kind(of name: Span<UInt8>) -> Kind? {
        // `user[password]`, `account%5Bemail%5D`: a form's nested name is judged by its innermost key.
        if let inner = innermostKey(name) { return kind(of: name.extracting(inner)) }
        guard let packed = PackedName(name) else { return nil }
        for (candidate, kind) in table[name.count] where candidate == packed { return kind }
        // `ASPSESSIONIDQQGGQTRC` carries a suffix per server.
        if name.count > 12, let prefix = PackedName(name.extracting(..<12)),
           prefix == aspSessionPrefix { return .credential }
        return nil
    }

    /// Where the last bracketed key of `a[b][c]` is (`[` `]` written plainly or as `%5B` `%5D`), or nil.
    private static func innermostKey(_ name: Span<UInt8>) -> Range<Int>? {
        guard let last = name.last else { return nil }
        if last == UInt8(ascii: "]"), let open = name.lastIndex(of: UInt8(ascii: "[")), open + 1 < name.count - 1 {
            return (open + 1)..<(name.count - 1)
        }
        guard name.count > 6, name[name.count - 3] == UInt8(ascii: "%"), name[name.count - 2] == UInt8(ascii: "5"),
              name[name.count - 1] | 0x20 == UInt8(ascii: "d") else { return nil }
        var open = name.count - 4
        while open >= 0 {
            if name[open] == UInt8(ascii: "%"), open + 2 < name.count, name[open + 1] == UInt8(ascii: "5"), name[open + 2] | 0x20 == UInt8(ascii: "b") {
                return open + 3 < name.count - 3 ? (open + 3)..<(name.count - 3) : nil
            }
            open -= 1
        }
        return nil
    }

    private static let aspSessionPrefix = PackedName(Array("aspsessionid".utf8).span)!

    static func isCredential(_ name: Span<UInt8>) -> Bool { kind(of: name) == .credential }

    /// The mark a value must become whatever the policy says, or nil when the policy decides.
    package static func mandatoryMark(name: Span<UInt8>, value: Span<UInt8>, inReferrer: Bool) -> [UInt8]? {
        guard !value.isEmpty else { return nil }
        switch kind(of: name) {
        case .credential: return secretMark
        case .personal: return personalMark
        case .search: if inReferrer { return searchMark }
        case nil: break
        }
        let first = value[0]
        if first == UInt8(ascii: "e"), isJWT(value) { return secretMark }
        if IdentifierScanner.isDigit(first) || first == UInt8(ascii: "+") || first == UInt8(ascii: "%") || first == UInt8(ascii: "("),
           isPhoneNumber(value) { return personalMark }
        return nil
    }

    /// `eyJ...`.`...`.`...`: a JSON Web Token (base64url header, payload, signature).
    static func isJWT(_ value: Span<UInt8>) -> Bool {
        guard value.count > 20, value.starts(with: Array("eyJ".utf8)) else { return false }
        var dots = 0
        for byteIndex in value.indices {
            let byte = value[byteIndex]
            if byte == UInt8(ascii: ".") {
                dots += 1
            } else if !(IdentifierScanner.isWordByte(byte) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "=")
                        || byte == UInt8(ascii: "%")) {
                return false
            }
        }
        return dots == 2
    }

    /// `555-123-4567`, `%2B15551234567`, `(555) 123 4567`, `+44 20 7946 0958`: 7 to 15 digits with a leading `+` or
    /// separators between groups; a date (`2010-03-15`) is not one.
    static func isPhoneNumber(_ value: Span<UInt8>) -> Bool {
        guard value.count >= 7, value.count <= 40 else { return false }
        var digits = 0
        var separators = 0
        var plus = false
        var index = 0
        // The lengths of the first four digit groups, and how many groups there are.
        var firstGroups: (Int, Int, Int, Int) = (0, 0, 0, 0)
        var groups = 0
        var group = 0
        func endGroup() {
            guard group > 0 else { return }
            switch groups {
            case 0: firstGroups.0 = group
            case 1: firstGroups.1 = group
            case 2: firstGroups.2 = group
            case 3: firstGroups.3 = group
            default: break
            }
            groups += 1
            group = 0
        }
        while index < value.count {
            let byte = value[index]
            if IdentifierScanner.isDigit(byte) {
                digits += 1
                group += 1
            } else if byte == UInt8(ascii: "%"), index + 2 < value.count {
                let code = (value[index + 1] | 0x20, value[index + 2] | 0x20)
                if code == (UInt8(ascii: "2"), UInt8(ascii: "b")), digits == 0 {
                    plus = true
                } else if code == (UInt8(ascii: "2"), UInt8(ascii: "0")) || code == (UInt8(ascii: "2"), UInt8(ascii: "8"))
                            || code == (UInt8(ascii: "2"), UInt8(ascii: "9")) {
                    separators += 1
                } else {
                    return false
                }
                endGroup()
                index += 3
                continue
            } else if byte == UInt8(ascii: "+") && digits == 0 {
                plus = true
            } else if byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: " ") || byte == UInt8(ascii: "+")
                        || byte == UInt8(ascii: "(") || byte == UInt8(ascii: ")") {
                separators += 1
                endGroup()
            } else {
                return false
            }
            index += 1
        }
        endGroup()
        guard (7...15).contains(digits) else { return false }
        // A date (`2010-03-15`, `15.03.2010`) or a dotted quad is not a phone number.
        if groups == 3, (firstGroups.0 == 4 && firstGroups.1 == 2 && firstGroups.2 == 2)
            || (firstGroups.0 == 2 && firstGroups.1 == 2 && firstGroups.2 == 4) { return false }
        if groups == 4, !plus, separators == 3, firstGroups.0 <= 3, firstGroups.1 <= 3, firstGroups.2 <= 3, firstGroups.3 <= 3 { return false }
        return plus || separators > 0
    }
}
