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

/// Findings by kind, each with a count and the first line numbers (never the values).
public struct FindingTally: Sendable, Equatable, Codable {
    public static let exampleCount = 5

    public struct Entry: Sendable, Equatable, Codable {
        public var finding: Finding
        public var lines: Int
        public var firstLines: [Int]
    }

    private var entries: [Finding: Entry] = [:]

    public init() {}

    public mutating func add(_ finding: Finding, line: Int) {
        var entry = entries[finding] ?? Entry(finding: finding, lines: 0, firstLines: [])
        entry.lines += 1
        if entry.firstLines.count < Self.exampleCount { entry.firstLines.append(line) }
        entries[finding] = entry
    }

    public var isEmpty: Bool { entries.isEmpty }
    public var sorted: [Entry] { entries.values.sorted { $0.finding < $1.finding } }
    /// The first line holding any finding.
    public var firstLine: Int? { entries.values.compactMap(\.firstLines.first).min() }

    public var summary: String {
        sorted.map { "\($0.finding.rawValue) on \($0.lines) line(s) (first: \($0.firstLines.map(String.init).joined(separator: ", ")))" }
            .joined(separator: "; ")
    }

    public func encode(to encoder: any Encoder) throws { try sorted.encode(to: encoder) }

    public init(from decoder: any Decoder) throws {
        for entry in try [Entry](from: decoder) { entries[entry.finding] = entry }
    }
}
