import LogWardInput
/// HTTP header names as logs write them (`%{User-Agent}i`, `$http_user_agent`, `%{Set-Cookie}o`,
/// `$sent_http_set_cookie`), in one spelling: lower case, `-` between words.
public enum HeaderName {
    public static func normalized(_ name: String) -> String {
        name.lowercased().replacingOccurrences(of: "_", with: "-")
    }

    /// Headers that carry credentials or session state: never copied, whatever a rules file keeps.
    public static let credentials: Set<String> = [
        "authorization", "proxy-authorization", "cookie", "set-cookie", "set-cookie2", "x-api-key", "x-auth-token",
        "x-access-token", "x-csrf-token", "x-xsrf-token", "x-amz-security-token",
    ]

    public static func isCredential(_ name: String) -> Bool { credentials.contains(normalized(name)) }

    /// The header a field logs (request or response), normalized; nil for a field that is not a header.
    public static func logged(by kind: FieldKind) -> String? {
        switch kind {
        case .header(let name):
            return normalized(name)
        case .other(let directive):
            // `%{Set-Cookie}o` (Apache response header) and `$sent_http_set_cookie` (nginx).
            if directive.hasPrefix("%{"), directive.hasSuffix("}o"), directive.count > 4 {
                return normalized(String(directive.dropFirst(2).dropLast(2)))
            }
            if directive.hasPrefix("$sent_http_") { return normalized(String(directive.dropFirst(11))) }
            return nil
        default:
            return nil
        }
    }
}
