import Testing
import LogWard

@Suite struct IdentifierScannerTests {
    static func found(_ text: String, addresses: Bool = true) -> [String] {
        let bytes = Array(text.utf8)
        return IdentifierScanner.scan(bytes.span, addresses: addresses).map { String(decoding: bytes[$0.range], as: UTF8.self) }
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

    /// The shapes a held-out probe found missed (issue 15, item 7): every one is an address or an e-mail.
    @Test(arguments: [
        ("/x?h=198.51.100.79:8080", ["198.51.100.79"]),
        ("http://198.51.100.98:8080/a", ["198.51.100.98"]),
        ("ip:198.51.100.84", ["198.51.100.84"]),
        ("client_198.51.100.94", ["198.51.100.94"]),
        ("http%3A%2F%2F198.51.100.85%2F", ["198.51.100.85"]),
        ("a%2C198.51.100.97", ["198.51.100.97"]),
        ("%5B2001:db8::86%5D", ["2001:db8::86"]),
        ("fe80::1%eth0 fe80::2%25eth0", ["fe80::1", "fe80::2"]),
        ("::ffff:203.0.113.9", ["::ffff:203.0.113.9"]),
        ("http://3325256824/", ["3325256824"]),
        ("http://0xC6336450/x", ["0xC6336450"]),
        ("/x?old=198.051.100.079", ["198.051.100.079"]),
        ("/u/oscar@example.com.json", ["oscar@example.com"]),
        ("/e?m=oscar%2540example.org", ["oscar%2540example.org"]),
        ("/e?m=oscar&#64;example.org&n=2", ["oscar&#64;example.org"]),
        ("/e?m=oscar&#X40;example.org", ["oscar&#X40;example.org"]),
        ("/e?m=oscar&#64example.org", []),
        ("ip:2001:db8::5", ["2001:db8::5"]),
        ("to=http%3A%2F%2F3325256824%2Fx", ["3325256824"]),
        ("http://example.com//2015/05/", []),
        ("jquery-1.12.4.min.js", []),
    ])
    func findsTheShapesAProbeMissed(text: String, expected: [String]) {
        #expect(Self.found(text) == expected)
    }

    /// An address in a query value, its separators percent-encoded (an IPv6 address's colons, an IPv4 address's
    /// dots, once or twice): found, and read as the address it encodes.
    @Test(arguments: [
        ("/?ip=2001%3Adb8%3A%3A1&x=1", ["2001%3Adb8%3A%3A1"], ["2001:db8::1"]),
        ("r=%5B2001%3adb8%3a0%3a0%3a0%3a0%3a0%3a2%5D%3A443", ["2001%3adb8%3a0%3a0%3a0%3a0%3a0%3a2"], ["2001:db8::2"]),
        ("a=%3A%3Affff%3A198.51.100.7", ["%3A%3Affff%3A198.51.100.7"], ["::ffff:c633:6407"]),
        ("u=2001%253Adb8%253A%253A3", ["2001%253Adb8%253A%253A3"], ["2001:db8::3"]),
        ("u=http%3A%2F%2Fexample.com%2Fcafe%3Abad", [], []),
        ("t=10%3A30%3A00", [], []),
        ("/?ip=198%2E51%2E100%2E7&x=1", ["198%2E51%2E100%2E7"], ["198.51.100.7"]),
        ("c=198%2e51%2e100%2e8%2C10%2E0%2E0%2E1", ["198%2e51%2e100%2e8", "10%2E0%2E0%2E1"], ["198.51.100.8", "10.0.0.1"]),
        ("u=198%252E51%252E100%252E9", ["198%252E51%252E100%252E9"], ["198.51.100.9"]),
        ("a=%3A%3Affff%3A198%2E51%2E100%2E10", ["%3A%3Affff%3A198%2E51%2E100%2E10"], ["::ffff:c633:640a"]),
        ("v=1%2E2%2E3", [], []),
        ("f=report%2Epdf&n=3%2E14", [], []),
        // HTML character references, decimal or hexadecimal, leading zeros or not.
        ("/?ip=192&#46;0&#46;2&#46;1&x=1", ["192&#46;0&#46;2&#46;1"], ["192.0.2.1"]),
        ("r=2001&#x3A;db8&#x3a;&#x3a;4", ["2001&#x3A;db8&#x3a;&#x3a;4"], ["2001:db8::4"]),
        ("a=&#58;&#58;ffff&#58;198&#046;51&#046;100&#046;11", ["&#58;&#58;ffff&#58;198&#046;51&#046;100&#046;11"], ["::ffff:c633:640b"]),
        ("v=1&#46;2&#46;3&amp;w=4&#46;5", [], []),
        ("a=192&#46;0&#46;2&#461", [], []),
    ])
    func findsAnAddressWithEncodedSeparators(text: String, expected: [String], addresses: [String]) {
        #expect(Self.found(text) == expected)
        let read = Array(text.utf8).withSpan { bytes in
            IdentifierScanner.scan(bytes).compactMap { match -> String? in
                if case .address(let address) = match.kind { return address.description }
                return nil
            }
        }
        #expect(read == addresses)
    }

    /// In a user agent a product's version (`Chrome/129.0.0.0`, Gecko's `rv:1.9.0.19`) is no address; a proxy's is.
    /// A text as the auditor finds it in a database: an address or an e-mail is an identifier, prose is not.
    @Test(arguments: [("mail jane.doe@example.org today", true), ("from 192.0.2.44", true), ("2001:db8::7", true),
                      ("plain words, 3.5 stars", false), ("", false)])
    func aTextHoldsAnIdentifierWhenTheScannerFindsOne(text: String, holds: Bool) {
        #expect(IdentifierScanner.containsIdentifier(text) == holds)
    }

    @Test func agentsKeepVersionsAndLoseAddresses() {
        let agent = Array("Mozilla/5.0 (X11; rv:1.9.0.19; via 203.0.113.9) Chrome/129.0.0.0 ip:198.51.100.84".utf8)
        let found = IdentifierScanner.scan(agent.span, context: .userAgent).map { String(decoding: agent[$0.range], as: UTF8.self) }
        #expect(found == ["203.0.113.9", "198.51.100.84"])
    }

    @Test func integerAddressesReadAsInetAtonDoes() {
        func aton(_ text: String) -> UInt32? { IdentifierScanner.inetAton(Array(text.utf8).span) }
        #expect(aton("3325256824") == 0xC633_6478)
        #expect(aton("0xC6336450") == 0xC633_6450)
        #expect(aton("0306.0063.0144.0120") == 0xC633_6450)
        #expect(aton("198.51.25720") == 0xC633_6478)
        #expect(aton("256.1.1.1") == nil)
        #expect(aton("1.2.3.4.5") == nil)
    }

    /// The quick test before a scan: an e-mail needs `@` or `%40`, an IPv4 address three dots, an IPv6 address two
    /// colons; one fewer and the scan is skipped.
    @Test(arguments: [
        ("/a/b/c", true, false), ("1.2.3", true, false), ("1.2.3.4", true, true), ("v1.2 (x.y) z.", true, true),
        ("a:b", true, false), ("a::b", true, true), (":x:", true, true), ("me@x", true, true), ("me%40x", true, true),
        ("1.2.3.4", false, false), ("a::b", false, false), ("me@x", false, true), ("", true, false),
    ])
    func mayContainIdentifierCountsWhatAnIdentifierNeeds(text: String, addresses: Bool, expected: Bool) {
        #expect(IdentifierScanner.mayContainIdentifier(Array(text.utf8).span, addresses: addresses) == expected)
    }

    @Test func emailsOnlyLeavesVersionNumbersAlone() {
        #expect(Self.found("Chrome/129.0.0.0 (+bot@example.com)", addresses: false) == ["+bot@example.com"])
    }

    @Test func registrableDomainsOfHostNames() {
        func of(_ host: String) -> String? {
            RegistrableDomain.of(Array(host.utf8).span).map { String(decoding: $0, as: UTF8.self) }
        }
        #expect(of("crawl-66-249-79-130.googlebot.com") == "googlebot.com")
        #expect(of("in24.inetnebr.com") == "inetnebr.com")
        #expect(of("www.example.co.uk") == "example.co.uk")
        // A single label or a private network's name has no registrable domain: truncation keeps nothing of it.
        #expect(of("Localhost") == nil)
        #expect(of("mallorys-laptop") == nil)
        #expect(of("3_343_lt_someone") == nil)
        #expect(of("mallorys-laptop.lan") == nil)
        #expect(of("example.net") == "example.net")
    }
}
