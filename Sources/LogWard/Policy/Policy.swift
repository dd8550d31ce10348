/// One version of one site's privacy policy, as a rules file states it: what each field class becomes in
/// anonymized output, how long each form of the data may be kept, and who may see the aggregates.
public struct Policy: Sendable, Equatable {
    public enum Audience: String, Sendable, Codable {
        case `internal`
        case external
    }

    public struct FieldRule: Sendable, Equatable {
        public var action: FieldAction
        /// The policy's own words this rule serves; nil only for classes the file leaves to the fail-closed default.
        public var quote: String?
    }

    public struct Retention: Sendable, Equatable {
        /// Days raw logs (addresses and accounts intact) may be kept; 0 means never stored raw.
        public var rawDays: Int
        /// Days anonymized logs are kept.
        public var anonymizedDays: Int
        /// Days a pseudonym key outlives its period; after that the pseudonyms cannot be linked again.
        public var keyDays: Int
    }

    public var id: String
    public var sites: [String]
    /// The policy document this file implements (a file name in shared/policies).
    public var source: String
    /// Days since 1970-01-01 (UTC) from which this version governs lines.
    public var effectiveDay: Int64
    public var audience: Audience
    /// External aggregates fold rows seen by fewer distinct visitors than this into `(other)`.
    public var kAnonymity: Int
    public var retention: Retention
    /// Length of one pseudonym key period, in days.
    public var keyPeriodDays: Int
    public var ipv4Prefix: Int
    public var ipv6Prefix: Int
    public var fields: [FieldClass: FieldRule]
    public var accountPathPatterns: [PathPattern]
    public var accountQueryParameters: [String]
    public var counters: [CounterRule]
    /// Where the rules came from, for messages.
    public var file: String
    /// The policy for lines whose site no rules file names: the strictest.
    public var isDefault: Bool = false
    /// Request and response headers (lower case, `-` between words) copied into anonymized logs; every other
    /// header is dropped, and credentials (`Authorization`, cookies) always are.
    public var keptHeaders: [String] = []
    /// With a list, only these query parameters keep their values (names stay, for statistics); nil keeps every
    /// value the built-in detectors leave alone.
    public var keptQueryParameters: [String]? = nil
    /// Path segments shaped like identifiers (digits, UUIDs, long hex) become `:id` wherever they stand.
    public var idShapedSegments: Bool = false
    /// The sentences the `headers` and `query_parameters` lists cite, by key.
    public var listQuotes: [String: String] = [:]

    /// The rule for a class; a class the file does not name is dropped (fail closed).
    public func rule(_ fieldClass: FieldClass) -> FieldRule {
        fields[fieldClass] ?? FieldRule(action: .drop, quote: nil)
    }

    public func action(_ fieldClass: FieldClass) -> FieldAction { rule(fieldClass).action }

    public var effectiveDate: String { Timestamp.day(effectiveDay * 86_400) }
}

/// A named counter for aggregates: requests whose method and path match (zoomgroups' subscriptions per day).
public struct CounterRule: Sendable, Equatable {
    public var name: String
    public var method: String?
    public var path: PathPattern
}
