import Testing
@testable import LogWardRetention

/// Whether a line names the person who asked to be erased, judged on its bytes alone (a line that does not parse,
/// or any field of one that does): a whole token, in whatever case and however an address is written.
@Suite struct ErasureMatcherTests {
    static func names(_ identifier: ErasureRequest.Identifier, _ line: String) -> Bool {
        let matcher = ErasureMatcher(ErasureRequest(site: "groups.im", identifier: identifier))
        return matcher.names(Array(line.utf8).span)
    }

    @Test(arguments: [
        // IPv4: a whole token only, whatever stands around it.
        ("192.0.2.1", "for=192.0.2.1", true),
        ("192.0.2.1", "192.0.2.1:8080, 10.0.0.1", true),
        ("192.0.2.1", "::ffff:192.0.2.1", true),
        ("192.0.2.1", "for=::FFFF:c000:0201", true),
        ("192.0.2.1", "::ffff:c000:0202", false),
        ("192.0.2.1", "192.0.2.10", false),
        ("192.0.2.1", "10.192.0.2.1", false),
        ("192.0.2.1", "192.0.2.1.5", false),
        // IPv6: any way the same address is written (case, leading zeros, zeros written out, brackets, a port).
        ("2001:db8::1", "[2001:db8::1]:443", true),
        ("2001:db8::1", "2001:DB8::1", true),
        ("2001:db8::1", "X-Forwarded-For: 2001:db8:0:0:0:0:0:1", true),
        ("2001:db8::1", "2001:0db8:0000::0001, 10.0.0.1", true),
        ("2001:db8::1", "GET /?ip=2001%3Adb8%3A%3A1 HTTP/1.1", true),
        ("192.0.2.1", "GET /?ip=192%2E0%2E2%2E1 HTTP/1.1", true),
        ("192.0.2.1", "GET /?ip=192%2E0%2E2%2E10 HTTP/1.1", false),
        ("192.0.2.1", "GET /?ip=192&#46;0&#46;2&#46;1 HTTP/1.1", true),
        ("2001:db8::1", "GET /?ip=2001&#x3a;db8&#x3a;&#x3a;1 HTTP/1.1", true),
        ("192.0.2.1", "GET /?next=http%3A%2F%2F3221225985%2F HTTP/1.1", true),
        ("192.0.2.1", "GET /?old=192.000.002.001 HTTP/1.1", true),
        ("[2001:DB8::1]", "2001:db8:0:0::1", true),
        ("2001:db8::1", "\"seen from 2001:db8::1.\"", true),
        ("2001:db8::1", "2001:db8::10", false),
        ("2001:db8::1", "2001:db8::1:5", false),
        ("2001:db8::1", "2001:db8:1::", false),
        // Host names and e-mails: case-insensitive, whole token, URL-encoded `@` too.
        ("host-7.example.com", "from HOST-7.Example.COM today", true),
        ("host-7.example.com", "xhost-7.example.com", false),
    ])
    func anAddressOrHostNameIsFoundAsAWholeToken(client: String, line: String, expected: Bool) {
        #expect(Self.names(.client(client), line) == expected)
    }

    @Test(arguments: [
        ("bob@example.com", "GET /?to=Bob@Example.com HTTP/1.1", true),
        ("bob@example.com", "GET /?to=bob%40example.com HTTP/1.1", true),
        ("bob@example.com", "GET /?to=bob%2540example.com HTTP/1.1", true),
        ("bob@example.com", "GET /?to=bob&#64;example.com HTTP/1.1", true),
        ("bob@example.com", "GET /?to=bob&#X40;Example.com HTTP/1.1", true),
        ("bob@example.com", "GET /?to=bob&#0064;example.com&x=1 HTTP/1.1", true),
        ("bob@example.com", "GET /u/bob@example.com.json HTTP/1.1", true),
        ("bob@example.com", "GET /?to=bob&#64;example.community HTTP/1.1", false),
        ("bob@example.com", "GET /?to=jimbob@example.com HTTP/1.1", false),
        ("bob@example.com", "GET /?to=bob@example.com.au HTTP/1.1", false),
    ])
    func anEmailIsFoundAsAWholeToken(email: String, line: String, expected: Bool) {
        #expect(Self.names(.email(email), line) == expected)
    }
}
