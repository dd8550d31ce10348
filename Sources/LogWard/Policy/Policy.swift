import LogWardFormat
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

        package init(rawDays: Int, anonymizedDays: Int, keyDays: Int) {
            self.rawDays = rawDays
            self.anonymizedDays = anonymizedDays
            self.keyDays = keyDays
        }
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
    /// The sentences the `headers` and `query_parameters` lists and the `notice` promise cite, by key.
    public var listQuotes: [String: String] = [:]
    /// Days since 1970-01-01 on which this version was announced, if the file says.
    public var announcedDay: Int64? = nil
    /// The notice this version promises before a change to it takes effect: calendar days, or business days
    /// (Monday to Friday).
    public var notice: Notice? = nil

    public enum Notice: Sendable, Equatable {
        case days(Int)
        case businessDays(Int)

        public var description: String {
            switch self {
            case .days(let days): return "\(days) day(s)"
            case .businessDays(let days): return "\(days) business day(s)"
            }
        }

        /// Whether a version announced on `announced` may take effect on `effective` (both days since 1970):
        /// the promised days must lie wholly between the two dates.
        public func isKept(announced: Int64, effective: Int64) -> Bool {
            switch self {
            case .days(let days):
                return effective - announced > Int64(days)
            case .businessDays(let days):
                guard effective > announced else { return days == 0 }
                var count = 0
                var day = announced + 1
                while day < effective, count < days {
                    // 1970-01-01 was a Thursday: day 0 -> weekday 4 (Sunday = 0).
                    let weekday = ((day % 7) + 7 + 4) % 7
                    if weekday != 0 && weekday != 6 { count += 1 }
                    day += 1
                }
                return count >= days
            }
        }
    }

    public var announcedDate: String? { announcedDay.map { Timestamp.day($0 * 86_400) } }

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
