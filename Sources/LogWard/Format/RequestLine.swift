import LogWardInput
/// Splits a request field (`%r`, `$request`) into method, target and protocol.
public enum RequestLine {
    public struct Parts: Equatable, Sendable {
        public var method: FieldSpan
        public var target: FieldSpan
        public var protocolVersion: FieldSpan
        /// False for TLS handshakes, empty requests and other bytes that are not `METHOD TARGET [PROTOCOL]`.
        public var wellFormed: Bool
    }

    /// `span` is the request inside `line`; the parts are spans of the same line.
    package static func split(_ line: Span<UInt8>, _ span: FieldSpan) -> Parts {
        precondition(span.end <= line.count, "a request outside its line")
        // Read through the line's buffer: the scans below are bounded by `span`, checked once above, where the
        // view's per-byte bounds checks cost `check` 5% more instructions.
        return line.withUnsafeBytes { split($0, span) }
    }

    private static func split(_ line: UnsafeRawBufferPointer, _ span: FieldSpan) -> Parts {
        var parts = Parts(method: .none, target: .none, protocolVersion: .none, wellFormed: false)
        guard span.count > 0 else { return parts }
        var index = span.start
        while index < span.end, isMethodByte(line[index]) { index += 1 }
        let methodLength = index - span.start
        guard methodLength >= 1, methodLength <= 32, index < span.end, line[index] == UInt8(ascii: " ") else { return parts }
        parts.method = FieldSpan(start: span.start, end: index)
        let targetStart = index + 1
        var lastSpace = span.end - 1
        while lastSpace > targetStart, line[lastSpace] != UInt8(ascii: " ") { lastSpace -= 1 }
        var targetEnd = span.end
        if lastSpace > targetStart, startsWithHTTP(line, lastSpace + 1, span.end) {
            parts.protocolVersion = FieldSpan(start: lastSpace + 1, end: span.end)
            targetEnd = lastSpace
        }
        guard targetEnd > targetStart else { return parts }
        parts.target = FieldSpan(start: targetStart, end: targetEnd)
        let first = line[targetStart]
        // HTTP/0.9 requests have no protocol; a target is a path, `*`, or an absolute URL.
        parts.wellFormed = first == UInt8(ascii: "/") || first == UInt8(ascii: "*")
            || hasPrefixIgnoringCase(line, targetStart, targetEnd, "http")
        return parts
    }

    private static func isMethodByte(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z")) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
    }

    private static func hasPrefixIgnoringCase(_ line: UnsafeRawBufferPointer, _ start: Int, _ end: Int, _ prefix: StaticString) -> Bool {
        guard end - start >= prefix.utf8CodeUnitCount else { return false }
        for offset in 0..<prefix.utf8CodeUnitCount where line[start + offset] | 0x20 != prefix.utf8Start[offset] {
            return false
        }
        return true
    }

    private static func startsWithHTTP(_ line: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> Bool {
        guard end - start >= 5 else { return false }
        return line[start] == UInt8(ascii: "H") && line[start + 1] == UInt8(ascii: "T")
            && line[start + 2] == UInt8(ascii: "T") && line[start + 3] == UInt8(ascii: "P")
            && line[start + 4] == UInt8(ascii: "/")
    }
}
