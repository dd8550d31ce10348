import LogWardPolicy
/// Writes a parsed line back in its own format with every field rewritten by the governing policy, so the
/// anonymized log still parses with the same format string. Trailing data after the format's last field is
/// never copied: logward does not know what it holds.
public struct LineAnonymizer {
    /// What to do with a field, decided once per format so the per-line loop switches on a small enum.
    private enum Treatment: Equatable {
        case copy
        case clientAddress
        case user
        case request
        case target
        case path
        case query
        case referrer
        case userAgent
        case forwardedFor
        case cookie
        case freeText
        /// A header other than the named classes: copied (through the detectors) only under the policies whose
        /// rules keep it (`headerKept[index][policyIndex]`; a payload array here would be retained per field).
        case header(Int)
    }

    public let format: LogFormat
    private var rewriter: FieldRewriter
    /// The line being written: a noncopyable buffer, kept in a class so this struct stays copyable.
    private final class OutputStorage {
        /// Owned by one anonymizer: no dynamic exclusivity check per line.
        @exclusivity(unchecked) var buffer = LineBuffer()
    }

    private let storage = OutputStorage()
    /// Per field, in format order, everything the per-line loop needs: one array read per field.
    private struct FieldPlan {
        var treatment: Treatment
        var quoted: Bool
        /// The field's terminator in `literals`.
        var terminator: Range<Int>
    }
    private let plan: [FieldPlan]
    private let headerKept: [[Bool]]
    /// The fields whose values may be echoed elsewhere in a line: client address, user names, forwarded-for.
    private let identityFields: [Int]
    /// The format's literals in one buffer: the leading one, then each field's terminator.
    private let literals: [UInt8]
    private let leadingRange: Range<Int>

    public init(format: LogFormat, policies: [Policy], pool: PseudonymizerPool) {
        self.init(format: format, compiled: CompiledPolicies(policies), pool: pool)
    }

    public init(format: LogFormat, compiled: CompiledPolicies, pool: PseudonymizerPool) {
        let policies = compiled.policies
        self.format = format
        rewriter = FieldRewriter(compiled: compiled, pool: pool)
        var seen = Set<FieldKind>()
        var headerKept: [[Bool]] = []
        let treatments: [Treatment] = format.fields.map { field in
            // The parser checks the first field of each kind only: a repeat is text like any other.
            let checkedByParser = seen.insert(field.kind).inserted
            if let header = HeaderName.logged(by: field.kind) {
                let credential = HeaderName.isCredential(header)
                headerKept.append(policies.map { !credential && $0.keptHeaders.contains(header) })
                return .header(headerKept.count - 1)
            }
            switch field.kind {
            case .clientAddress: return .clientAddress
            case .identity, .remoteUser: return .user
            case .request: return .request
            case .requestURI: return .target
            case .urlPath: return .path
            case .queryString: return .query
            case .referrer: return .referrer
            case .userAgent: return .userAgent
            case .forwardedFor: return .forwardedFor
            case .cookie: return .cookie
            // Numbers and times the parser has read as such hold nothing to look for.
            case .status, .responseBytes, .bytesSent, .timeLocal, .timeISO8601, .time:
                return checkedByParser ? .copy : .freeText
            // Every other field is looked through: a format may log the client's address in `%V` or `%{X}e`.
            case .method, .requestProtocol, .virtualHost, .serverPort, .durationMicroseconds, .durationMilliseconds, .durationSeconds,
                 .upstreamDuration, .header, .other:
                return .freeText
            }
        }
        self.headerKept = headerKept
        var literals = format.leading
        leadingRange = 0..<literals.count
        var plan: [FieldPlan] = []
        for (field, treatment) in zip(format.fields, treatments) {
            let start = literals.count
            literals.append(contentsOf: field.terminator)
            plan.append(FieldPlan(treatment: treatment, quoted: field.quoted, terminator: start..<literals.count))
        }
        self.literals = literals
        self.plan = plan
        identityFields = plan.indices.filter { [.user, .clientAddress, .forwardedFor].contains(plan[$0].treatment) }
    }

    public var counts: AnonymizationCounts { rewriter.counts }

    /// The anonymized line (without newline), valid until the next call.
    package mutating func anonymize(_ record: LogRecord, line: Span<UInt8>, policyIndex: Int, epoch: Int64,
                                   _ body: (Span<UInt8>) throws -> Void) throws {
        rewriter.policyIndex = policyIndex
        rewriter.epoch = epoch
        storage.buffer.removeAll()
        try write(record, line: line, into: &storage.buffer)
        try storage.buffer.withBytes(body)
    }

    /// Appends the anonymized line (without newline) to `output`: a parallel worker writes straight into its
    /// batch. A line that fails halfway leaves nothing behind.
    package mutating func anonymize(_ record: LogRecord, line: Span<UInt8>, policyIndex: Int, epoch: Int64,
                                   appendingTo output: inout LineBuffer) throws {
        rewriter.policyIndex = policyIndex
        rewriter.epoch = epoch
        let start = output.count
        do {
            try write(record, line: line, into: &output)
        } catch {
            output.truncate(to: start)
            throw error
        }
    }

    private mutating func write(_ record: LogRecord, line: Span<UInt8>, into output: inout LineBuffer) throws {
        // Nearly every line has no echo of its client's host name or user name: it is written with nothing kept.
        guard mayEcho(record, line: line) else {
            try writeFields(record, line: line, into: &output, ranges: nil)
            return
        }
        let lineStart = output.count
        try withUnsafeTemporaryAllocation(of: Range<Int>.self, capacity: plan.count) { ranges in
            try writeFields(record, line: line, into: &output, ranges: ranges)
            // Where the client's address, user name and forwarded host names went, to rewrite their echoes alike.
            var identities: [(input: FieldSpan, output: Range<Int>)] = []
            var checked: [Range<Int>] = []
            for index in plan.indices {
                let span = record.fields[index]
                switch plan[index].treatment {
                case .user, .clientAddress:
                    if plan[index].treatment == .user || record.clientIP == nil, span.count >= IdentityEchoes.minimumLength,
                       EchoScan.occursElsewhere(span, in: line) {
                        identities.append((span, ranges[index]))
                    }
                case .forwardedFor:
                    IdentityEchoes.forwardedHostNames(span, line: line, output: ranges[index], in: output, into: &identities)
                case .copy:
                    // Numbers and times the parser checked keep their bytes: an echo there is a coincidence (a user
                    // `2010`, `Mar`), and rewriting it would break the line's format.
                    checked.append((ranges[index].lowerBound - lineStart)..<(ranges[index].upperBound - lineStart))
                default:
                    break
                }
            }
            if !identities.isEmpty { IdentityEchoes.rewrite(identities, line: line, lineStart: lineStart, sparing: checked, in: &output) }
        }
    }

    /// Whether an identity may be echoed elsewhere in the line. An address echoed elsewhere is found by the detectors
    /// every field goes through: only a host name, a user name or a forwarded host name needs looking for.
    private func mayEcho(_ record: LogRecord, line: Span<UInt8>) -> Bool {
        for index in identityFields {
            let span = record.fields[index]
            guard span.count >= IdentityEchoes.minimumLength else { continue }
            switch plan[index].treatment {
            case .user:
                if EchoScan.occursElsewhere(span, in: line) { return true }
            case .clientAddress:
                if record.clientIP == nil, EchoScan.occursElsewhere(span, in: line) { return true }
            case .forwardedFor:
                if line.extracting(span.range).contains(where: { IdentifierScanner.isLetter($0) && !IdentifierScanner.isHex($0) }) { return true }
            default:
                break
            }
        }
        return false
    }

    /// Writes every field; with `ranges`, notes where each field's output went.
    private mutating func writeFields(_ record: LogRecord, line: Span<UInt8>, into output: inout LineBuffer,
                                      ranges: UnsafeMutableBufferPointer<Range<Int>>?) throws {
        // Through the arrays' buffers: views of these stored properties would overlap the mutating `rewrite` calls,
        // and local copies (a retain and release each, `rewrite` no longer inlined) cost `anonymize` 2.5% more
        // instructions.
        try literals.withUnsafeBytes { literalBytes in
            let literals = Span<UInt8>(_unsafeBytes: literalBytes)
            output.appendBytes(literals, leadingRange)
            try plan.withUnsafeBufferPointer { plan in
                try record.fields.withUnsafeBufferPointer { fields in
                    precondition(fields.count == plan.count, "a record of another format")
                    for index in plan.indices {
                        let field = plan[index]
                        if field.quoted { output.append(UInt8(ascii: "\"")) }
                        let span = fields[index]
                        let fieldStart = output.count
                        try rewrite(field.treatment, line.extracting(span.range), span, record, line, into: &output)
                        ranges?.initializeElement(at: index, to: fieldStart..<output.count)
                        if field.quoted { output.append(UInt8(ascii: "\"")) }
                        output.appendBytes(literals, field.terminator)
                    }
                }
            }
        }
    }

    private mutating func rewrite(_ treatment: Treatment, _ value: Span<UInt8>, _ span: FieldSpan,
                                  _ record: LogRecord, _ line: Span<UInt8>, into output: inout LineBuffer) throws {
        switch treatment {
        case .copy:
            output.appendBytes(value)
        case .clientAddress:
            try rewriter.clientAddress(value, parsed: span == record.clientAddress ? record.clientIP : nil, into: &output)
        case .user:
            try rewriter.remoteUser(value, into: &output)
        case .request:
            if span == record.request && !record.requestMalformed && record.target.isPresent {
                // Method and protocol are copied; the target is a URL.
                output.appendBytes(line, span.start..<record.target.start)
                try rewriter.url(line.extracting(record.target.range), part: .target, into: &output)
                output.appendBytes(line, record.target.end..<span.end)
            } else {
                // Not a request line (TLS junk, `-`): no structure to trust, so every token is scrubbed.
                try rewriter.freeText(value, addresses: true, into: &output)
            }
        case .target:
            try rewriter.url(value, part: .target, into: &output)
        case .path:
            try rewriter.url(value, part: .path, into: &output)
        case .query:
            try rewriter.url(value, part: .query, into: &output)
        case .referrer:
            try rewriter.url(value, part: .referrer, into: &output)
        case .userAgent:
            try rewriter.userAgent(value, into: &output)
        case .forwardedFor:
            try rewriter.forwardedFor(value, into: &output)
        case .cookie:
            rewriter.cookie(value, into: &output)
        case .freeText:
            try rewriter.freeText(value, addresses: true, into: &output)
        case .header(let index):
            if headerKept[index][rewriter.policyIndex] {
                try rewriter.freeText(value, addresses: true, into: &output)
            } else {
                rewriter.dropHeader(value, into: &output)
            }
        }
    }
}
