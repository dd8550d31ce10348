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

    /// Ranges from different detectors can overlap: no byte any of them covers is copied, and each range that
    /// reaches past the ones before it is written.
    @Test(arguments: [
        ([(0..<2, "A")], "A23456789"),
        ([(5..<7, "B"), (2..<4, "A")], "01A4B789"),
        ([(2..<8, "A"), (4..<6, "B")], "01A89"),  // nested
        ([(2..<5, "A"), (4..<8, "B")], "01AB89"),  // overlapping: both written, nothing between copied
        ([(2..<5, "A"), (2..<8, "B")], "01B89"),  // same start: the longer covers the shorter
        ([(2..<4, "A"), (4..<4, "+")], "01A+456789"),  // an insertion where a range ends
        ([(7..<20, "Z")], "0123456Z"),  // past the end: cut at the value's end
    ])
    func replacementsApplyWhateverTheirOverlaps(replacements: [(Range<Int>, String)], expected: String) {
        var out: [UInt8] = []
        FieldRewriter.emit(Array("0123456789".utf8).span, replacements.map { ($0.0, Array($0.1.utf8)) }, into: &out)
        #expect(String(decoding: out, as: UTF8.self) == expected)
    }
}
