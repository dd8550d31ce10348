import LogWardInput
/// Matches lines against a compiled `LogFormat`, left to right, without copying: fields become spans.
public struct RecordParser {
    public let format: LogFormat
    private let leading: [UInt8]
    /// Every field's terminator, back to back, with each field's range in it: one buffer read per line, where
    /// an array per field was retained and released on every field of every line.
    private let terminatorBytes: [UInt8]
    /// Per field, in format order, what the per-line loop needs: one array, read through a pointer.
    private struct FieldStep {
        var terminator: Range<Int>
        var quoted: Bool
        var role: Role
        /// A URL path right before its query string (`%U%q`): it ends at the first `?`, else where the query's
        /// own terminator is.
        var endsAtQuery = false
        /// An nginx variable that holds a list when several upstreams served the request (`0.002 : 0.003`,
        /// `10.0.0.1:80, 10.0.0.2:80`): a space inside the list does not end it.
        var listValued = false
    }
    private let steps: [FieldStep]
    private let timeReaders: [TimeReader]

    /// What the parser does with a field beyond finding it; resolved once per format, not per line.
    private enum Role {
        case keep
        case clientAddress
        case remoteUser
        case timeLocal
        case timeISO8601
        /// Another time field, read by `timeReaders[index]`.
        case time(Int)
        case request
        case status
        case responseBytes
        case otherBytes
        case referrer
        case userAgent
        case forwardedFor
        case cookie
        case virtualHost
        /// A response time, in units of this many microseconds.
        case duration(Int64)
        case upstreamDuration
    }

    public init(format: LogFormat) {
        self.format = format
        leading = format.leading
        var bytes: [UInt8] = []
        let terminatorRanges = format.fields.map { field in
            let start = bytes.count
            bytes.append(contentsOf: field.terminator)
            return start..<bytes.count
        }
        terminatorBytes = bytes
        var seen = Set<FieldKind>()
        var timeReaders: [TimeReader] = []
        let roles: [Role] = format.fields.map { field in
            // The first field of a kind is the one records expose; a repeat is still matched, and kept as is.
            guard seen.insert(field.kind).inserted else { return .keep }
            switch field.kind {
            case .clientAddress: return .clientAddress
            case .remoteUser: return .remoteUser
            case .timeLocal: return .timeLocal
            case .timeISO8601: return .timeISO8601
            case .time(let time):
                timeReaders.append(TimeReader(time))
                return .time(timeReaders.count - 1)
            case .request: return .request
            case .status: return .status
            case .responseBytes: return .responseBytes
            case .bytesSent: return .otherBytes
            case .referrer: return .referrer
            case .userAgent: return .userAgent
            case .forwardedFor: return .forwardedFor
            case .cookie: return .cookie
            case .virtualHost: return .virtualHost
            case .durationMicroseconds: return .duration(1)
            case .durationMilliseconds: return .duration(1000)
            case .durationSeconds: return .duration(1_000_000)
            case .upstreamDuration: return .upstreamDuration
            default: return .keep
            }
        }
        self.timeReaders = timeReaders
        var steps = zip(format.fields, zip(terminatorRanges, roles)).map { field, plan in
            FieldStep(terminator: plan.0, quoted: field.quoted, role: plan.1)
        }
        for index in steps.indices.dropLast() where !format.fields[index].quoted && format.fields[index].terminator.isEmpty
            && LogFormat.endsWhereNextBegins(format.fields[index].kind, format.fields[index + 1].kind) {
            steps[index].endsAtQuery = true
        }
        for index in steps.indices where !format.fields[index].quoted {
            if case .other(let name) = format.fields[index].kind, NginxFormatCompiler.listVariables.contains(name) {
                steps[index].listValued = true
            }
            if format.fields[index].kind == .upstreamDuration { steps[index].listValued = true }
        }
        self.steps = steps
    }

    public func makeRecord() -> LogRecord { LogRecord(fieldCount: steps.count) }

    /// Fills `record` from `line`, or says why the line is not a record of this format.
    package func parse(_ line: Span<UInt8>, into record: inout LogRecord) -> RejectReason? {
        // The spans are written through one pointer, the field array taken out of the record meanwhile (so the
        // record stays free to change): writing `record.fields[i]` checked the array's uniqueness on every field.
        var fields: [FieldSpan] = []
        swap(&fields, &record.fields)
        defer { swap(&fields, &record.fields) }
        record.resetDecodedFields()
        return fields.withUnsafeMutableBufferPointer { fields in
            precondition(fields.count == steps.count, "a record made by another format's parser")
            fields.update(repeating: .none)
            guard !line.isEmpty else { return .emptyLine }
            // Through the arrays' buffers: their views cost 30 instructions a line more (`check` +1%).
            return terminatorBytes.withUnsafeBytes { terminators in
                leading.withUnsafeBytes { leading in
                    steps.withUnsafeBufferPointer { steps in
                        parse(line, into: &record, fields: fields, steps: steps, leading: Span(_unsafeBytes: leading),
                              terminators: Span(_unsafeBytes: terminators))
                    }
                }
            }
        }
    }

    private func parse(_ line: Span<UInt8>, into record: inout LogRecord, fields: UnsafeMutableBufferPointer<FieldSpan>,
                       steps: UnsafeBufferPointer<FieldStep>, leading: Span<UInt8>,
                       terminators: Span<UInt8>) -> RejectReason? {
        let count = line.count
        guard Self.matches(line, at: 0, leading) else { return record.fail(.formatMismatch, field: -1, at: 0) }
        var position = leading.count
        let space = UInt8(ascii: " ")
        for index in steps.indices {
            let step = steps[index]
            let terminator = terminators.extracting(unchecked: step.terminator)
            if step.quoted {
                guard position < count, line[position] == UInt8(ascii: "\"") else { return record.fail(.formatMismatch, field: index, at: position) }
                position += 1
            }
            let start = position
            let end: Int
            if step.quoted {
                guard let close = Self.closingQuote(line, from: position, terminator: terminator) else {
                    return record.fail(.unterminatedQuote, field: index, at: position - 1)
                }
                end = close
                position = close + 1 + terminator.count
            } else if step.endsAtQuery || step.listValued {
                // The rare fields whose end is not simply the next literal (`%U%q`, nginx upstream lists).
                guard let found = Self.endOfSpecialField(step, index: index, line: line, from: position, steps: steps,
                                                         terminators: terminators) else {
                    return record.fail(.formatMismatch, field: index, at: position)
                }
                end = found
                position = found + terminator.count
            } else if terminator.isEmpty {
                // A last unquoted field ends at a space: what follows is trailing data.
                end = Self.find(space, in: line, from: position) ?? count
                position = end
            } else {
                guard let found = Self.find(terminator, in: line, from: position) else {
                    return record.fail(.formatMismatch, field: index, at: position)
                }
                end = found
                position = found + terminator.count
            }
            let span = FieldSpan(start: start, end: end)
            fields[index] = span
            if let reason = decode(step.role, span, line, &record) { return record.fail(reason, field: index, at: start) }
        }
        if position < count {
            guard line[position] == space else { return record.fail(.formatMismatch, field: steps.count - 1, at: position) }
            record.trailing = FieldSpan(start: position, end: count)
        }
        return nil
    }

    @inline(__always)
    private func decode(_ role: Role, _ span: FieldSpan, _ line: Span<UInt8>, _ record: inout LogRecord) -> RejectReason? {
        switch role {
        case .keep:
            return nil
        case .clientAddress:
            guard let (kind, address) = ClientAddressKind.classifyParsing(line.extracting(span.range)) else { return .badClientAddress }
            record.clientAddress = span
            record.clientAddressKind = kind
            record.clientIP = address
        case .remoteUser:
            record.remoteUser = span
        case .timeLocal:
            guard let time = Timestamp.parseCommonLogFormat(line.extracting(span.range), memo: &record.dateMemo) else { return .badTimestamp }
            record.timestamp = time
        case .timeISO8601:
            guard let time = Timestamp.parseISO8601(line.extracting(span.range)) else { return .badTimestamp }
            record.timestamp = time
        case .time(let index):
            return decodeTime(index, span, line, &record)
        case .request:
            record.request = span
            let parts = RequestLine.split(line, span)
            record.method = parts.method
            record.target = parts.target
            record.protocolVersion = parts.protocolVersion
            record.requestMalformed = !parts.wellFormed
        case .status:
            guard span.count == 3, let value = Self.number(line, span), value >= 100 else { return .badStatus }
            record.status = Int(value)
        case .responseBytes:
            if span.isDash(in: line) { return nil }
            guard let value = Self.number(line, span) else { return .badSize }
            record.responseBytes = value
        case .otherBytes:
            if span.isDash(in: line) { return nil }
            guard Self.number(line, span) != nil else { return .badSize }
        case .referrer:
            record.referrer = span
        case .userAgent:
            record.userAgent = span
        case .forwardedFor:
            record.forwardedFor = span
        case .cookie:
            record.cookie = span
        case .virtualHost:
            record.virtualHost = span
        case .duration(let unit):
            // A time that does not read as one is left out of the statistics, never a reason to reject the line.
            record.responseMicroseconds = Self.duration(line.extracting(span.range), unit: unit)
        case .upstreamDuration:
            record.upstreamMicroseconds = Self.upstreamDuration(line.extracting(span.range))
        }
        return nil
    }

    /// `123`, `0.123` or `1.5` in `unit` microseconds, as microseconds (fractions below a microsecond dropped).
    static func duration(_ text: Span<UInt8>, unit: Int64) -> Int64? {
        var whole: Int64 = 0
        var fraction: Int64 = 0
        var fractionScale: Int64 = 1
        var digits = 0
        var inFraction = false
        for byteIndex in text.indices {
            let byte = text[byteIndex]
            if byte == UInt8(ascii: ".") && !inFraction {
                inFraction = true
                continue
            }
            guard byte >= 0x30 && byte <= 0x39, digits < 15 else { return nil }
            digits += 1
            if inFraction {
                if fractionScale < 1_000_000 {
                    fraction = fraction * 10 + Int64(byte - 0x30)
                    fractionScale *= 10
                }
            } else {
                whole = whole * 10 + Int64(byte - 0x30)
            }
        }
        guard digits > 0 else { return nil }
        return whole * unit + fraction * unit / fractionScale
    }

    /// nginx's list of upstream times (`, ` between servers, ` : ` between redirects), summed; `-` items skipped.
    static func upstreamDuration(_ text: Span<UInt8>) -> Int64? {
        var total: Int64 = 0
        var found = false
        var start = 0
        for index in 0...text.count {
            guard index == text.count || text[index] == UInt8(ascii: ",") || text[index] == UInt8(ascii: ":") || text[index] == UInt8(ascii: " ") else { continue }
            if index > start, let value = duration(text.extracting(start..<index), unit: 1_000_000) {
                total += value
                found = true
            }
            start = index + 1
        }
        return found ? total : nil
    }

    /// Apache's `%{...}t` forms and `$msec`: out of line, to keep `decode` small for the usual `%t`.
    @inline(never)
    private func decodeTime(_ index: Int, _ span: FieldSpan, _ line: Span<UInt8>, _ record: inout LogRecord) -> RejectReason? {
        switch timeReaders[index].read(line.extracting(span.range)) {
        case .instant(var time, let floating):
            guard record.timestamp == nil else { break }
            if floating, let offset = record.pendingOffset {
                time = Timestamp(epochSeconds: time.epochSeconds - Int64(offset), utcOffsetSeconds: offset)
            } else {
                record.timestampFloating = floating
            }
            record.timestamp = time
        case .part(let offset?):
            // `[%{%d/%b/%Y %T}t %{%z}t]`: the offset of a time written without one.
            if record.timestampFloating, let time = record.timestamp {
                record.timestamp = Timestamp(epochSeconds: time.epochSeconds - Int64(offset), utcOffsetSeconds: offset)
                record.timestampFloating = false
            } else {
                record.pendingOffset = offset
            }
        case .part(nil):
            break
        case .invalid:
            return .badTimestamp
        }
        return nil
    }

    // MARK: Byte helpers

    private static func matches(_ line: Span<UInt8>, at position: Int, _ literal: Span<UInt8>) -> Bool {
        guard position + literal.count <= line.count else { return false }
        // Compared through a view of the window, whose own indices need no bounds check against the line.
        let window = line.extracting(position..<position + literal.count)
        for offset in window.indices where window[offset] != literal[offset] { return false }
        return true
    }

    @inline(__always)
    private static func find(_ byte: UInt8, in line: Span<UInt8>, from position: Int) -> Int? {
        ByteSearch.firstIndex(of: byte, in: line, from: position)
    }

    @inline(__always)
    private static func find(_ literal: Span<UInt8>, in line: Span<UInt8>, from position: Int) -> Int? {
        var candidate = position
        while let found = find(literal[0], in: line, from: candidate) {
            if matches(line, at: found, literal) { return found }
            candidate = found + 1
        }
        return nil
    }

    private static let spaceLiteral: [UInt8] = [UInt8(ascii: " ")]

    /// Where a `%U` before `%q`, or a list-valued nginx variable, ends; out of line, to keep the common loop small.
    @inline(never)
    private static func endOfSpecialField(_ step: FieldStep, index: Int, line: Span<UInt8>, from position: Int,
                                          steps: UnsafeBufferPointer<FieldStep>, terminators: Span<UInt8>) -> Int? {
        let terminator = terminators.extracting(step.terminator)
        let space = UInt8(ascii: " ")
        if step.endsAtQuery {
            let next = terminators.extracting(steps[index + 1].terminator)
            let limit = next.isEmpty ? (find(space, in: line, from: position) ?? line.count)
                : (find(next, in: line, from: position) ?? line.count)
            return find(UInt8(ascii: "?"), in: line.extracting(..<limit), from: position) ?? limit
        }
        if terminator.isEmpty {
            return findAfterList(spaceLiteral.span, in: line, from: position) ?? line.count
        }
        return findAfterList(terminator, in: line, from: position)
    }

    /// The terminator after a list value: a candidate right after a `,` or before `: ` separates list items.
    private static func findAfterList(_ literal: Span<UInt8>, in line: Span<UInt8>, from position: Int) -> Int? {
        var candidate = position
        while let found = find(literal, in: line, from: candidate) {
            let separates = literal[0] == UInt8(ascii: " ")
                && ((found > position && line[found - 1] == UInt8(ascii: ","))
                    || (found + 2 < line.count && line[found + 1] == UInt8(ascii: ":") && line[found + 2] == UInt8(ascii: " "))
                    || (found >= position + 2 && line[found - 1] == UInt8(ascii: ":") && line[found - 2] == UInt8(ascii: " ")))
            if !separates { return found }
            candidate = found + 1
        }
        return nil
    }

    /// The closing `"` of a quoted field: one not escaped by `\`, followed by the literal that comes next
    /// (or by the end of the line or a space, for a last field). Servers that leave inner quotes unescaped
    /// still parse, because an inner quote is rarely followed by exactly the next literal.
    private static func closingQuote(_ line: Span<UInt8>, from position: Int, terminator: Span<UInt8>) -> Int? {
        let count = line.count
        var search = position
        // Each candidate quote is found 16 bytes at a time; a quote behind an odd number of backslashes is escaped.
        while let quote = find(UInt8(ascii: "\""), in: line, from: search) {
            var backslashes = 0
            var before = quote - 1
            while before >= position, line[before] == UInt8(ascii: "\\") {
                backslashes += 1
                before -= 1
            }
            if backslashes % 2 == 0 {
                let after = quote + 1
                if terminator.isEmpty {
                    if after == count || line[after] == UInt8(ascii: " ") { return quote }
                } else if matches(line, at: after, terminator) {
                    return quote
                }
            }
            search = quote + 1
        }
        return nil
    }

    private static func number(_ line: Span<UInt8>, _ span: FieldSpan) -> Int64? {
        guard span.count > 0, span.count <= 18 else { return nil }
        var value: Int64 = 0
        // Over the field's own view: its indices need no check against the line's bounds.
        let digits = line.extracting(span.start..<span.end)
        for index in digits.indices {
            let digit = digits[index] &- 0x30
            guard digit < 10 else { return nil }
            value = value * 10 + Int64(digit)
        }
        return value
    }
}
