import Testing
import LogWard

@Suite struct RecordParserTests {
    static let combined = try! LogFormat("combined")

    /// The same requests written by three format definitions that mean the same thing.
    static let equivalentFormats: [(String, String)] = [
        ("combined", #"192.0.2.7 - alice [10/Oct/2000:13:55:36 -0700] "GET /a?b=c HTTP/1.1" 200 2326 "http://example.com/" "Mozilla/5.0 (X11) \"quoted\"""#),
        (#"%a %l %u [%{%d/%b/%Y:%H:%M:%S %z}t] "%r" %>s %B "%{Referer}i" "%{User-agent}i""#,
         #"192.0.2.7 - alice [10/Oct/2000:13:55:36 -0700] "GET /a?b=c HTTP/1.1" 200 2326 "http://example.com/" "Mozilla/5.0 (X11) \"quoted\"""#),
        ("nginx",
         #"192.0.2.7 - alice [10/Oct/2000:13:55:36 -0700] "GET /a?b=c HTTP/1.1" 200 2326 "http://example.com/" "Mozilla/5.0 (X11) \x22quoted\x22""#),
    ]

    @Test func equivalentApacheAndNginxFormatsGiveIdenticalRecords() throws {
        let records = try Self.equivalentFormats.map { format, line in
            try #require(parseLine(Array(line.utf8), format: try LogFormat(format)).0)
        }
        let expected = RecordingHandler.Parsed(
            line: 1,
            fields: [
                "client": "192.0.2.7", "user": "alice", "request": "GET /a?b=c HTTP/1.1", "method": "GET",
                "target": "/a?b=c", "protocol": "HTTP/1.1", "referrer": "http://example.com/",
                "agent": #"Mozilla/5.0 (X11) "quoted""#,
            ],
            timestamp: 971_211_336, status: 200, responseBytes: 2326, clientKind: .ipv4, requestMalformed: false)
        for record in records { #expect(record == expected) }
    }

    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var line: [UInt8]
        var fields: [String: String] = [:]
        var clientKind: ClientAddressKind = .ipv4
        var responseBytes: Int64? = nil
        var malformed = false
        var reject: RejectReason? = nil
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "IPv6 client", line: Array(#"2001:db8::1 - - [17/May/2015:10:05:03 +0000] "GET / HTTP/1.1" 200 12 "-" "curl/7.1""#.utf8),
             fields: ["client": "2001:db8::1"], clientKind: .ipv6, responseBytes: 12),
        Case(name: "IPv4-mapped IPv6 client", line: Array(#"::ffff:192.0.2.1 - - [17/May/2015:10:05:03 +0000] "GET / HTTP/1.1" 200 12 "-" "-""#.utf8),
             fields: ["client": "::ffff:192.0.2.1"], clientKind: .ipv6, responseBytes: 12),
        Case(name: "host-name client", line: Array(#"in24.inet_nebr.com - - [17/May/2015:10:05:03 +0000] "GET / HTTP/1.0" 304 0 "-" "-""#.utf8),
             fields: ["client": "in24.inet_nebr.com"], clientKind: .hostname, responseBytes: 0),
        Case(name: "dash byte count", line: Array(#"192.0.2.1 - - [17/May/2015:10:05:03 +0000] "GET / HTTP/1.1" 304 - "-" "-""#.utf8),
             fields: ["client": "192.0.2.1"], responseBytes: nil),
        Case(name: "TLS handshake as request", line: Array(#"192.0.2.1 - - [17/May/2015:10:05:03 +0000] "\x16\x03\x01\x01\xFD\x01" 400 166 "-" "-""#.utf8),
             fields: ["client": "192.0.2.1"], responseBytes: 166, malformed: true),
        Case(name: "empty request", line: Array(#"192.0.2.1 - - [17/May/2015:10:05:03 +0000] "" 408 0 "-" "-""#.utf8),
             responseBytes: 0, malformed: true),
        Case(name: "dash request", line: Array(#"192.0.2.1 - - [17/May/2015:10:05:03 +0000] "-" 408 0 "-" "-""#.utf8),
             responseBytes: 0, malformed: true),
        Case(name: "HTTP/0.9 request without protocol", line: Array(#"192.0.2.1 - - [17/May/2015:10:05:03 +0000] "GET /old" 200 5 "-" "-""#.utf8),
             fields: ["target": "/old"], responseBytes: 5),
        Case(name: "invalid UTF-8 in the user agent",
             line: Array(#"192.0.2.1 - - [17/May/2015:10:05:03 +0000] "GET / HTTP/1.1" 200 1 "-" "bot "#.utf8) + [0xFF, 0xFE] + Array("\"".utf8),
             fields: ["agent": "bot \u{FFFD}\u{FFFD}"], responseBytes: 1),
        Case(name: "trailing extra field", line: Array(#"192.0.2.1 - - [17/May/2015:10:05:03 +0000] "GET / HTTP/1.1" 200 1 "-" "ua" "-""#.utf8),
             fields: ["trailing": #" "-""#, "agent": "ua"], responseBytes: 1),
        Case(name: "unescaped quote inside the referrer", line: Array(#"192.0.2.1 - - [17/May/2015:10:05:03 +0000] "GET / HTTP/1.1" 200 1 "http://x/?q="a"" "ua""#.utf8),
             fields: ["referrer": #"http://x/?q="a""#, "agent": "ua"], responseBytes: 1),
        Case(name: "user agent cut off", line: Array(#"192.0.2.1 - - [17/May/2015:10:05:03 +0000] "GET / HTTP/1.1" 200 1 "-" "Googlebot"#.utf8),
             reject: .unterminatedQuote),
        Case(name: "not a record", line: Array("Bad line".utf8), reject: .formatMismatch),
        Case(name: "binary junk", line: [0x1F, 0x8B, 0x08, 0x00, 0x20, 0x20], reject: .badClientAddress),
        Case(name: "empty line", line: [], reject: .emptyLine),
        Case(name: "impossible date", line: Array(#"192.0.2.1 - - [31/Feb/2015:10:05:03 +0000] "GET / HTTP/1.1" 200 1 "-" "-""#.utf8),
             reject: .badTimestamp),
        Case(name: "status not a number", line: Array(#"192.0.2.1 - - [17/May/2015:10:05:03 +0000] "GET / HTTP/1.1" OK 1 "-" "-""#.utf8),
             reject: .badStatus),
        Case(name: "size not a number", line: Array(#"192.0.2.1 - - [17/May/2015:10:05:03 +0000] "GET / HTTP/1.1" 200 12k "-" "-""#.utf8),
             reject: .badSize),
        Case(name: "missing fields", line: Array(#"192.0.2.1 - - [17/May/2015:10:05:03 +0000] "GET / HTTP/1.1" 200"#.utf8),
             reject: .formatMismatch),
    ]

    @Test(arguments: cases)
    func edgeCases(_ testCase: Case) {
        let (record, reason) = parseLine(testCase.line, format: Self.combined)
        #expect(reason == testCase.reject)
        guard let record else { return }
        for (name, value) in testCase.fields { #expect(record.fields[name] == value, "\(name)") }
        #expect(record.clientKind == testCase.clientKind)
        #expect(record.responseBytes == testCase.responseBytes)
        #expect(record.requestMalformed == testCase.malformed)
        #expect(record.status >= 100)
    }

    @Test func vhostCombinedGivesTheSiteAndRejectsTheLineThatIsNotARecord() {
        let format = try! LogFormat("vhost_combined")
        let (handler, outcome) = LogScanner.record(Fixtures.realLog("apachelogs-vhost-combined-7.log"), ScanOptions(format: format))
        #expect(outcome.lines == 7)
        #expect(handler.parsed.count == 6)
        #expect(handler.parsed.allSatisfy { $0.fields["vhost"] == "www.varonathe.org" })
        #expect(handler.rejected.map(\.line) == [5])
    }
}

/// `%U%q`: the URL path ends where its query string (empty, or from `?`) begins.
@Suite struct PathThenQueryTests {
    static let cases: [(format: String, line: String, path: String, query: String)] = [
        (#"%h %l %u %t "%m %U%q %H" %>s %b"#, #"192.0.2.1 - - [17/May/2015:10:05:03 +0000] "GET /a/b?x=1&y=2 HTTP/1.1" 200 1"#, "/a/b", "?x=1&y=2"),
        (#"%h %l %u %t "%m %U%q %H" %>s %b"#, #"192.0.2.1 - - [17/May/2015:10:05:03 +0000] "GET /a/b HTTP/1.1" 200 1"#, "/a/b", ""),
        (#"%h %l %u %t "%m %U%q %H" %>s %b"#, #"192.0.2.1 - - [17/May/2015:10:05:03 +0000] "GET /? HTTP/1.1" 200 1"#, "/", "?"),
        (#"%h %>s %U%q"#, #"192.0.2.1 200 /search?q=a?b"#, "/search", "?q=a?b"),
        (#"%h %>s %U%q"#, #"192.0.2.1 200 /plain"#, "/plain", ""),
    ]

    @Test(arguments: cases)
    func theURLPathEndsWhereItsQueryBegins(format: String, line: String, path: String, query: String) throws {
        let compiled = try LogFormat(format)
        let pathIndex = try #require(compiled.index(of: .urlPath))
        let queryIndex = try #require(compiled.index(of: .queryString))
        let parser = RecordParser(format: compiled)
        var record = parser.makeRecord()
        let bytes = Array(line.utf8)
        try bytes.withSpan { buffer in
            #expect(parser.parse(buffer, into: &record) == nil)
            let fields = record.fields
            let pathSpan = fields[pathIndex], querySpan = fields[queryIndex]
            #expect(String(decoding: buffer.extracting(pathSpan.range), as: UTF8.self) == path)
            #expect(String(decoding: buffer.extracting(querySpan.range), as: UTF8.self) == query)
        }
    }

    @Test func otherAdjacentFieldsAreStillRefused() {
        #expect(throws: FormatError.adjacentFields("%q", "%U")) { try LogFormat("%h %q%U") }
        #expect(throws: FormatError.adjacentFields("%U", "%u")) { try LogFormat("%h %U%u") }
    }
}
