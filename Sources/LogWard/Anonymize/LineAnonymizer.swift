/// Writes a parsed line back in its own format with every field rewritten by the governing policy, so the
/// anonymized log still parses with the same format string. Trailing data after the format's last field is
/// never copied: logward does not know what it holds.
public struct LineAnonymizer {
    public let format: LogFormat
    private var rewriter: FieldRewriter
    private var output: [UInt8] = []

    public init(format: LogFormat, policies: [Policy], pool: PseudonymizerPool) {
        self.format = format
        rewriter = FieldRewriter(policies: policies, pool: pool)
        output.reserveCapacity(4096)
    }

    public var counts: AnonymizationCounts { rewriter.counts }

    /// The anonymized line (without newline), valid until the next call.
    public mutating func anonymize(_ record: LogRecord, line: UnsafeRawBufferPointer, policyIndex: Int, epoch: Int64,
                                   _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        output.removeAll(keepingCapacity: true)
        rewriter.policyIndex = policyIndex
        rewriter.epoch = epoch
        output.append(contentsOf: format.leading)
        for (index, field) in format.fields.enumerated() {
            if field.quoted { output.append(UInt8(ascii: "\"")) }
            let span = record.fields[index]
            let value = span.bytes(in: line)
            try rewrite(field.kind, value, span, record, line)
            if field.quoted { output.append(UInt8(ascii: "\"")) }
            output.append(contentsOf: field.terminator)
        }
        try output.withUnsafeBytes(body)
    }

    private mutating func rewrite(_ kind: FieldKind, _ value: UnsafeRawBufferPointer, _ span: Span,
                                  _ record: LogRecord, _ line: UnsafeRawBufferPointer) throws {
        switch kind {
        case .clientAddress:
            try rewriter.clientAddress(value, into: &output)
        case .identity, .remoteUser:
            try rewriter.remoteUser(value, into: &output)
        case .request:
            if span == record.request && !record.requestMalformed && record.target.isPresent {
                // Method and protocol are copied; the target is a URL.
                output.append(contentsOf: UnsafeRawBufferPointer(rebasing: line[span.start..<record.target.start]))
                try rewriter.url(record.target.bytes(in: line), part: .target, into: &output)
                output.append(contentsOf: UnsafeRawBufferPointer(rebasing: line[record.target.end..<span.end]))
            } else {
                // Not a request line (TLS junk, `-`): no structure to trust, so every token is scrubbed.
                try rewriter.freeText(value, addresses: true, into: &output)
            }
        case .requestURI:
            try rewriter.url(value, part: .target, into: &output)
        case .urlPath:
            try rewriter.url(value, part: .path, into: &output)
        case .queryString:
            try rewriter.url(value, part: .query, into: &output)
        case .referrer:
            try rewriter.url(value, part: .referrer, into: &output)
        case .userAgent:
            try rewriter.userAgent(value, into: &output)
        case .forwardedFor:
            try rewriter.forwardedFor(value, into: &output)
        case .cookie:
            rewriter.cookie(value, into: &output)
        case .method, .requestProtocol, .status, .responseBytes, .bytesSent, .timeLocal, .timeISO8601,
             .virtualHost, .serverPort, .durationMicroseconds, .durationSeconds:
            output.append(contentsOf: value)
        case .header, .other:
            try rewriter.freeText(value, addresses: true, into: &output)
        }
    }
}
