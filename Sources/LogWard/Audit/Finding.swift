import LogWardJob
/// A kind of identifier found where the governing policy says it must not be (in anonymized form).
public enum Finding: String, Sendable, Codable, CaseIterable, Comparable {
    case clientAddress = "client-address"
    case forwardedFor = "forwarded-for"
    case remoteUser = "remote-user"
    case email
    case accountID = "account-id"
    /// An IP address inside a request target or referrer.
    case addressInURL = "address-in-url"
    /// An IP address inside a user agent or other text field.
    case addressInText = "address-in-text"
    case cookie
    case queryString = "query-string"
    case referrer
    case userAgent = "user-agent"
    /// A line that does not parse but holds address- or e-mail-shaped tokens.
    case unparsableWithIdentifiers = "unparsable-line-with-identifiers"

    public static func < (lhs: Finding, rhs: Finding) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// Findings by kind, each with a count of lines and the first line numbers (never the values), listed by kind.
public typealias FindingTally = LineTally<Finding>

extension Finding: TallyKey {
    public static var keyName: String { "finding" }
    public static var countName: String { "lines" }
    public static var listsByCount: Bool { false }
}

extension LineTally.Entry where Key == Finding {
    public var finding: Finding { key }
    /// Lines holding the finding.
    public var lines: Int { count }
}

extension LineTally where Key == Finding {
    public var summary: String {
        sorted.map { "\($0.finding.rawValue) on \($0.lines) line(s) (first: \($0.firstLines.map(String.init).joined(separator: ", ")))" }
            .joined(separator: "; ")
    }
}
