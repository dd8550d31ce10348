import Testing
import LogWard

@Suite struct IPAddressTests {
    @Test(arguments: [
        ("192.0.2.1", "192.0.2.1"),
        ("2001:db8::1", "2001:db8::1"),
        ("2001:DB8:0:0:0:0:0:1", "2001:db8::1"),
        ("::", "::"),
        ("::1", "::1"),
        ("2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"),
        ("2001:41d0:8:f69::1", "2001:41d0:8:f69::1"),
        ("::ffff:192.0.2.1", "::ffff:c000:201"),
        ("1:0:0:2:0:0:0:3", "1:0:0:2::3"),
        ("0:0:1:0:0:1:0:0", "::1:0:0:1:0:0"),
        ("1:2:3:4:5:6:7:0", "1:2:3:4:5:6:7:0"),
        ("FE80:0:0:0:ABCD:EF01:0234:6789", "fe80::abcd:ef01:234:6789"),
        ("1::", "1::"),
        ("0.0.0.0", "0.0.0.0"),
        ("255.255.255.255", "255.255.255.255"),
    ])
    func parsesAndPrintsCanonically(text: String, canonical: String) {
        #expect(IPAddress.parse(text)?.description == canonical)
    }

    @Test(arguments: ["256.1.1.1", "1.2.3", "01.2.3.4", "1.2.3.4.5", "Chrome/129.0.0.0", "2001:db8:::1",
                      "1:2:3:4:5:6:7:8:9", "2001:db8::1::2", "12345::", "host.example.com", ":1"])
    func refusesWhatIsNotAnAddress(text: String) {
        #expect(IPAddress.parse(text) == nil)
    }

    @Test func truncatesToPrefixes() {
        #expect(IPAddress.parse("192.0.2.77")!.truncated(ipv4Bits: 24, ipv6Bits: 48).description == "192.0.2.0")
        #expect(IPAddress.parse("2001:db8:1234:5678::1")!.truncated(ipv4Bits: 24, ipv6Bits: 48).description == "2001:db8:1234::")
        #expect(IPAddress.parse("2001:db8:1234:5678::1")!.truncated(ipv4Bits: 24, ipv6Bits: 80).description == "2001:db8:1234:5678::")
        #expect(IPAddress.parse("::ffff:192.0.2.1")!.mappedIPv4 == 0xC000_0201)
    }
}
