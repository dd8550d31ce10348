/// Query parameters whose values logward never copies, under any policy: credentials and session ids
/// (`:secret`), personal data (`:personal`), and, in referrers, the search terms people typed (`:search`).
public enum QueryParameters {
    public static let secretMark: [UInt8] = Array(":secret".utf8)
    public static let personalMark: [UInt8] = Array(":personal".utf8)
    public static let searchMark: [UInt8] = Array(":search".utf8)
    /// A value a policy's allow-list does not keep.
    public static let valueMark: [UInt8] = Array(":value".utf8)

    public static let credentialNames: Set<[UInt8]> = names(
        "password", "passwd", "pwd", "pass", "token", "access_token", "id_token", "refresh_token", "api_key", "apikey",
        "key", "auth", "secret", "client_secret", "sid", "session", "sessionid", "session_id", "jsessionid", "phpsessid",
        "aspsessionid", "cfid", "cftoken", "signature", "sig", "otp", "code")
    public static let personalNames: Set<[UInt8]> = names(
        "name", "first_name", "firstname", "last_name", "lastname", "surname", "fullname", "full_name", "phone", "tel",
        "telephone", "mobile", "cell", "address", "street", "zip", "zipcode", "postcode", "postal_code", "email", "mail",
        "e-mail", "birthday", "dob", "ssn")
    /// What search engines put the typed words in.
    public static let searchNames: Set<[UInt8]> = names("q", "p", "query", "text", "wd", "search", "keyword", "keywords", "k", "searchfor")

    private static func names(_ list: String...) -> Set<[UInt8]> { Set(list.map { Array($0.utf8) }) }

    static func lowered(_ bytes: UnsafeRawBufferPointer) -> [UInt8] {
        bytes.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }
    }

    static func isCredential(_ name: UnsafeRawBufferPointer) -> Bool {
        let lower = lowered(name)
        // `ASPSESSIONIDQQGGQTRC` carries a suffix per server.
        return credentialNames.contains(lower) || lower.starts(with: Array("aspsessionid".utf8))
    }

    /// The mark a value must become whatever the policy says, or nil when the policy decides.
    static func mandatoryMark(name: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer, inReferrer: Bool) -> [UInt8]? {
        guard !value.isEmpty else { return nil }
        let lower = lowered(name)
        if isCredential(name) || isJWT(value) { return secretMark }
        if personalNames.contains(lower) || isPhoneNumber(value) { return personalMark }
        if inReferrer, searchNames.contains(lower) { return searchMark }
        return nil
    }

    /// `eyJ...`.`...`.`...`: a JSON Web Token (base64url header, payload, signature).
    static func isJWT(_ value: UnsafeRawBufferPointer) -> Bool {
        guard value.count > 20, value.starts(with: Array("eyJ".utf8)) else { return false }
        var dots = 0
        for byte in value {
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
    static func isPhoneNumber(_ value: UnsafeRawBufferPointer) -> Bool {
        var digits = 0
        var separators = 0
        var plus = false
        var index = 0
        var groups: [Int] = []
        var group = 0
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
                if group > 0 { groups.append(group) }
                group = 0
                index += 3
                continue
            } else if byte == UInt8(ascii: "+") && digits == 0 {
                plus = true
            } else if byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: " ") || byte == UInt8(ascii: "+")
                        || byte == UInt8(ascii: "(") || byte == UInt8(ascii: ")") {
                separators += 1
                if group > 0 { groups.append(group) }
                group = 0
            } else {
                return false
            }
            index += 1
        }
        if group > 0 { groups.append(group) }
        guard (7...15).contains(digits) else { return false }
        if groups == [4, 2, 2] || groups == [2, 2, 4] { return false }
        if groups.count == 4, groups.allSatisfy({ $0 <= 3 }), separators == 3, !plus { return false }
        return plus || separators > 0
    }
}
