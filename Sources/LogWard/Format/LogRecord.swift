import LogWardInput
/// One parsed line: spans into the line's bytes for every field, plus the values logward decodes on the way.
/// A parser fills the same record line after line, so parsing allocates nothing.
public struct LogRecord {
    /// One span per field of the format, inside the quotes for quoted fields, escapes left as written.
    public package(set) var fields: [FieldSpan]
    public package(set) var timestamp: Timestamp?
    public package(set) var clientAddress: FieldSpan = .none
    public package(set) var clientAddressKind: ClientAddressKind = .absent
    /// The client address, parsed, when the client field is one.
    public package(set) var clientIP: IPAddress?
    /// The time came from a field with no UTC offset; a later offset-only field (`%{%z}t`) applies to it.
    var timestampFloating = false
    /// An offset-only field read before the time it applies to.
    var pendingOffset: Int32?
    /// Where the last rejected line stopped matching: the field (-1: the format's leading literal) and the byte
    /// offset. Written only when a line is rejected, for messages; never reset.
    public package(set) var failedField = -1
    public package(set) var failedOffset = 0
    /// The parser's memory of the last date it read (kept across lines: `resetDecodedFields` leaves it).
    var dateMemo = Timestamp.DateMemo()
    public package(set) var remoteUser: FieldSpan = .none
    public package(set) var request: FieldSpan = .none
    public package(set) var method: FieldSpan = .none
    public package(set) var target: FieldSpan = .none
    public package(set) var protocolVersion: FieldSpan = .none
    /// The request field is not `METHOD TARGET [PROTOCOL]` (TLS junk, `-`, empty): other fields stay usable.
    public package(set) var requestMalformed = false
    public package(set) var status: Int = 0
    /// Response size; nil for `-`.
    public package(set) var responseBytes: Int64?
    public package(set) var referrer: FieldSpan = .none
    public package(set) var userAgent: FieldSpan = .none
    public package(set) var forwardedFor: FieldSpan = .none
    public package(set) var cookie: FieldSpan = .none
    public package(set) var virtualHost: FieldSpan = .none
    /// The response time (`%D`, `%T`, `%{ms}T`, `$request_time`), in microseconds; nil when absent or unreadable.
    public package(set) var responseMicroseconds: Int64?
    /// The time spent on upstreams (`$upstream_response_time`, summed over those tried), in microseconds.
    public package(set) var upstreamMicroseconds: Int64?
    /// Extra fields after the format's last one (some servers append more): never trusted, never copied.
    public package(set) var trailing: FieldSpan = .none

    public init(fieldCount: Int) {
        fields = Array(repeating: .none, count: fieldCount)
    }

    /// Clears every decoded field for the next line. `fields` is not touched: the parser holds it apart while it
    /// parses (and clears it itself); making the empty array it leaves here mutable allocated a buffer per line.
    mutating func resetDecodedFields() {
        timestamp = nil
        clientAddress = .none
        clientAddressKind = .absent
        clientIP = nil
        remoteUser = .none
        request = .none
        method = .none
        target = .none
        protocolVersion = .none
        requestMalformed = false
        status = 0
        responseBytes = nil
        referrer = .none
        userAgent = .none
        forwardedFor = .none
        cookie = .none
        virtualHost = .none
        responseMicroseconds = nil
        upstreamMicroseconds = nil
        trailing = .none
        timestampFloating = false
        pendingOffset = nil
    }

    /// Notes where a line failed and returns why (the parser's cold path).
    mutating func fail(_ reason: RejectReason, field: Int, at offset: Int) -> RejectReason {
        failedField = field
        failedOffset = offset
        return reason
    }
}
