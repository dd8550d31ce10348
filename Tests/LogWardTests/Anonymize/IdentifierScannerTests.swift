import Testing
@testable import LogWard

@Suite struct IdentifierScannerTests {
    static func found(_ text: String, addresses: Bool = true) -> [String] {
        Array(text.utf8).withUnsafeBytes { bytes in
            IdentifierScanner.scan(bytes, addresses: addresses).map { String(decoding: bytes[$0.range], as: UTF8.self) }
        }
    }

    @Test(arguments: [
        ("/unsubscribe/john.doe@example.com", ["john.doe@example.com"]),
        ("/u?mail=jane%40example.org&x=1", ["jane%40example.org"]),
        ("http://192.0.2.55/admin", ["192.0.2.55"]),
        ("ip=2001:db8::1&v6=[2001:db8::2]:80", ["2001:db8::1", "2001:db8::2"]),
        ("Chrome/129.0.0.0 Safari/537.36", ["129.0.0.0"]),
        ("version 1.2.3 and 10.0.0.1.", ["10.0.0.1"]),
        ("image@2x.png", []),
        ("@example.com", []),
        ("user@localhost", []),
    ])
    func findsIdentifiersInFreeText(text: String, expected: [String]) {
        #expect(Self.found(text) == expected)
    }

    /// The quick test before a scan: an e-mail needs `@` or `%40`, an IPv4 address three dots, an IPv6 address two
    /// colons; one fewer and the scan is skipped.
    @Test(arguments: [
        ("/a/b/c", true, false), ("1.2.3", true, false), ("1.2.3.4", true, true), ("v1.2 (x.y) z.", true, true),
        ("a:b", true, false), ("a::b", true, true), (":x:", true, true), ("me@x", true, true), ("me%40x", true, true),
        ("1.2.3.4", false, false), ("a::b", false, false), ("me@x", false, true), ("", true, false),
    ])
    func mayContainIdentifierCountsWhatAnIdentifierNeeds(text: String, addresses: Bool, expected: Bool) {
        #expect(Array(text.utf8).withUnsafeBytes { IdentifierScanner.mayContainIdentifier($0, addresses: addresses) } == expected)
    }

    @Test func emailsOnlyLeavesVersionNumbersAlone() {
        #expect(Self.found("Chrome/129.0.0.0 (+bot@example.com)", addresses: false) == ["+bot@example.com"])
    }

    @Test func registrableDomainsOfHostNames() {
        func of(_ host: String) -> String {
            Array(host.utf8).withUnsafeBytes { String(decoding: RegistrableDomain.of($0), as: UTF8.self) }
        }
        #expect(of("crawl-66-249-79-130.googlebot.com") == "googlebot.com")
        #expect(of("in24.inetnebr.com") == "inetnebr.com")
        #expect(of("www.example.co.uk") == "example.co.uk")
        #expect(of("Localhost") == "localhost")
    }
}
