import LogWardInput
/// Why a line did not become a record. The raw value is the stable name used in reports and JSON.
public enum RejectReason: String, CaseIterable, Sendable, Codable, Comparable {
    case emptyLine = "empty-line"
    case lineTooLong = "line-too-long"
    case truncatedInput = "truncated-input"
    case formatMismatch = "format-mismatch"
    case unterminatedQuote = "unterminated-quote"
    case badClientAddress = "bad-client-address"
    case badTimestamp = "bad-timestamp"
    case badStatus = "bad-status"
    case badSize = "bad-size"

    public static func < (lhs: RejectReason, rhs: RejectReason) -> Bool { lhs.rawValue < rhs.rawValue }

    /// One sentence for humans; never quotes the line.
    public var explanation: String {
        switch self {
        case .emptyLine: return "the line is empty"
        case .lineTooLong: return "the line is longer than the maximum line length"
        case .truncatedInput: return "the input ended (corrupt or truncated) inside this line"
        case .formatMismatch: return "the line does not follow the log format"
        case .unterminatedQuote: return "a quoted field has no closing quote"
        case .badClientAddress: return "the client field is neither an IP address nor a host name"
        case .badTimestamp: return "the timestamp is not a valid date and time"
        case .badStatus: return "the status is not a 3-digit HTTP status"
        case .badSize: return "a byte count is not a number"
        }
    }
}
