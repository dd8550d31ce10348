import LogWard
@testable import LogWardInput

/// Keeps every line's outcome as plain values, so tests can compare them exactly.
struct RecordingHandler: LineHandler {
    struct Parsed: Equatable {
        var line: Int
        var fields: [String: String]
        var timestamp: Int64?
        var status: Int
        var responseBytes: Int64?
        var clientKind: ClientAddressKind
        var requestMalformed: Bool
    }

    var parsed: [Parsed] = []
    var rejected: [(reason: RejectReason, line: Int)] = []

    mutating func handle(_ record: LogRecord, line: Span<UInt8>, at position: LinePosition) {
        parsed.append(Parsed(
            line: position.number,
            fields: RecordingHandler.namedFields(record, line),
            timestamp: record.timestamp?.epochSeconds,
            status: record.status,
            responseBytes: record.responseBytes,
            clientKind: record.clientAddressKind,
            requestMalformed: record.requestMalformed))
    }

    mutating func reject(_ reason: RejectReason, line: Span<UInt8>?, at position: LinePosition) {
        rejected.append((reason, position.number))
    }

    /// The fields every format shares, decoded from their escapes.
    static func namedFields(_ record: LogRecord, _ line: Span<UInt8>) -> [String: String] {
        var fields: [String: String] = [:]
        let named: [(String, FieldSpan)] = [
            ("client", record.clientAddress), ("user", record.remoteUser), ("request", record.request),
            ("method", record.method), ("target", record.target), ("protocol", record.protocolVersion),
            ("referrer", record.referrer), ("agent", record.userAgent), ("forwarded", record.forwardedFor),
            ("cookie", record.cookie), ("vhost", record.virtualHost), ("trailing", record.trailing),
        ]
        for (name, span) in named where span.isPresent {
            fields[name] = String(decoding: ApacheEscape.unescape(line.extracting(span.range)), as: UTF8.self)
        }
        return fields
    }
}

extension LogScanner {
    /// Scans a file and returns what a recording handler saw.
    static func record(_ path: String, _ options: ScanOptions = ScanOptions()) -> (RecordingHandler, ScanOutcome) {
        var handler = RecordingHandler()
        let outcome = scan(path: path, options: options, handler: &handler)
        return (handler, outcome)
    }
}

/// Runs a parser over one line given as bytes.
func parseLine(_ bytes: [UInt8], format: LogFormat) -> (RecordingHandler.Parsed?, RejectReason?) {
    let parser = RecordParser(format: format)
    var record = parser.makeRecord()
    return bytes.withSpan { line in
        if let reason = parser.parse(line, into: &record) { return (nil, reason) }
        var handler = RecordingHandler()
        handler.handle(record, line: line, at: LinePosition(number: 1, offset: 0))
        return (handler.parsed[0], nil)
    }
}
