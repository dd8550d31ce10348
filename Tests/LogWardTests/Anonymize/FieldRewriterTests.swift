import Testing
import LogWard

/// The rewriter's small readers of a field, on the shapes they meet in forwarded-for lists and URLs.
@Suite struct FieldRewriterTests {
    @Test(arguments: [
        ("192.0.2.1:8080", "192.0.2.1"),
        ("192.0.2.1", "192.0.2.1"),
        ("[2001:db8::1]:443", "2001:db8::1"),
        ("[2001:db8::1]", "2001:db8::1"),
        ("2001:db8::1", "2001:db8::1"),  // colons but no brackets: all of it is the address
        ("proxy.example.net:3128", "proxy.example.net"),
        ("unknown", "unknown"),
        ("", ""),
    ])
    func theAddressOfAForwardedEntryIsWithoutItsPort(entry: String, address: String) {
        let bytes = Array(entry.utf8)
        let range = FieldRewriter.withoutPort(bytes.span)
        #expect(String(decoding: bytes[range], as: UTF8.self) == address)
    }

    @Test(arguments: [
        ("/index.html?x=1", 0),
        ("https://example.com/a/b?c", 19),
        ("http://user@host:8080?q", 21),
        ("https://example.com", 19),
        ("mailto:someone", 0),
        ("", 0),
    ])
    func aURLsPathStartsAfterItsAuthority(url: String, pathStart: Int) {
        let found = FieldRewriter.pathStart(Array(url.utf8).span)
        #expect(found == pathStart)
    }

    /// One person, one pseudonym: an e-mail is normalized the same however its at-sign is written, in any case.
    @Test(arguments: ["jane.doe@example.org", "Jane.Doe%40Example.org", "jane.doe%2540example.org", "jane.doe&#64;example.org",
                      "JANE.DOE&#X40;EXAMPLE.ORG", "jane.doe&#0064;example.org"])
    func anEmailIsNormalizedHoweverItsAtSignIsWritten(spelling: String) {
        let normalized = FieldRewriter.normalizedEmail(Array(spelling.utf8).span)
        #expect(String(decoding: normalized, as: UTF8.self) == "jane.doe@example.org")
    }

    @Test func anAmpersandThatIsNoAtSignStays() {
        let normalized = FieldRewriter.normalizedEmail(Array("a&#65;b&amp;c@x.org".utf8).span)
        #expect(String(decoding: normalized, as: UTF8.self) == "a&#65;b&amp;c@x.org")
    }
}
