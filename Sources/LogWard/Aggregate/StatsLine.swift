import LogWardAnonymize
/// What the statistics read of one parsed record: the spans (in its line) and numbers they count. Small and
/// free of heap storage, so parallel workers can keep one per line for the aggregator, which counts them in
/// input order on its own thread.
package struct StatsLine: Sendable {
    var clientAddress: FieldSpan
    /// The client address as the parser read it, when it is one.
    var clientIP: IPAddress?
    var userAgent: FieldSpan
    var method: FieldSpan
    var target: FieldSpan
    var referrer: FieldSpan
    /// Response size; -1 for `-`.
    var responseBytes: Int64
    var status: Int
    var requestMalformed: Bool
    /// The response time (the request's own, else its upstreams'), in microseconds; -1 for none.
    var responseMicroseconds: Int64

    /// No fields: the entry of a rejected line, never read.
    package init() {
        clientAddress = .none
        userAgent = .none
        method = .none
        target = .none
        referrer = .none
        responseBytes = -1
        status = 0
        requestMalformed = true
        responseMicroseconds = -1
    }

    /// Borrowing: an initializer takes its arguments owned, so the record (and its field array) was copied per line.
    package init(_ record: borrowing LogRecord) {
        clientAddress = record.clientAddress
        clientIP = record.clientIP
        userAgent = record.userAgent
        method = record.method
        target = record.target
        referrer = record.referrer
        responseBytes = record.responseBytes ?? -1
        status = record.status
        requestMalformed = record.requestMalformed
        responseMicroseconds = record.responseMicroseconds ?? record.upstreamMicroseconds ?? -1
    }
}
