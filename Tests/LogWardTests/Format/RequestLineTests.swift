import Testing
@testable import LogWardFormat

/// `RequestLine.split`: method, target and protocol of a request field, and whether it is a request at all (a
/// request that is not is scrubbed as free text, token by token, instead of rewritten as a URL).
@Suite struct RequestLineTests {
    /// The parts of `request` as text: method, target, protocol ("" when absent), well formed.
    static func parts(_ request: String) -> [String] {
        let bytes = Array(request.utf8)
        return bytes.withSpan { line in
            let parts = RequestLine.split(line, FieldSpan(start: 0, end: line.count))
            func text(_ span: FieldSpan) -> String { String(decoding: line.extracting(span.range), as: UTF8.self) }
            return [text(parts.method), text(parts.target), text(parts.protocolVersion), parts.wellFormed ? "ok" : "malformed"]
        }
    }

    @Test(arguments: [
        ("GET /a?b=c HTTP/1.1", ["GET", "/a?b=c", "HTTP/1.1", "ok"]),
        // HTTP/0.9: no protocol.
        ("GET /a", ["GET", "/a", "", "ok"]),
        // A target with spaces in it (written unescaped by some servers): the protocol is the last token.
        ("GET /a b c HTTP/1.1", ["GET", "/a b c", "HTTP/1.1", "ok"]),
        ("OPTIONS * HTTP/1.1", ["OPTIONS", "*", "HTTP/1.1", "ok"]),
        ("GET http://example.com/ HTTP/1.0", ["GET", "http://example.com/", "HTTP/1.0", "ok"]),
        ("CONNECT HTTPS://example.com:443/ HTTP/1.1", ["CONNECT", "HTTPS://example.com:443/", "HTTP/1.1", "ok"]),
        // A last token that is not a protocol belongs to the target.
        ("GET /a HTTP/1.1 extra", ["GET", "/a HTTP/1.1 extra", "", "ok"]),
        // A target that is neither a path, `*` nor an absolute URL.
        ("GET example.com HTTP/1.1", ["GET", "example.com", "HTTP/1.1", "malformed"]),
        ("GET  HTTP/1.1", ["GET", " HTTP/1.1", "", "malformed"]),
        // No method: lower case, none at all, `-`, TLS bytes sent to a plain HTTP port.
        ("get /a HTTP/1.1", ["", "", "", "malformed"]),
        ("/a HTTP/1.1", ["", "", "", "malformed"]),
        ("-", ["", "", "", "malformed"]),
        ("\u{16}\u{03}\u{01}\u{02}\u{00}\u{01}", ["", "", "", "malformed"]),
        ("", ["", "", "", "malformed"]),
        // A method is at most 32 bytes.
        (String(repeating: "A", count: 33) + " /a HTTP/1.1", ["", "", "", "malformed"]),
        (String(repeating: "A", count: 32) + " /a HTTP/1.1", [String(repeating: "A", count: 32), "/a", "HTTP/1.1", "ok"]),
    ])
    func splitsARequest(request: String, expected: [String]) {
        #expect(Self.parts(request) == expected)
    }

    /// The parts are spans of the line the request sits in, not of the request alone.
    @Test func partsAreSpansOfTheWholeLine() {
        let bytes = Array(#"192.0.2.7 - - "GET /x HTTP/1.0" 200"#.utf8)
        bytes.withSpan { line in
            let parts = RequestLine.split(line, FieldSpan(start: 15, end: 30))
            #expect(parts.method == FieldSpan(start: 15, end: 18))
            #expect(parts.target == FieldSpan(start: 19, end: 21))
            #expect(parts.protocolVersion == FieldSpan(start: 22, end: 30))
        }
    }
}
