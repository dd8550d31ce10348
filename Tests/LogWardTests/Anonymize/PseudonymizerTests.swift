import Foundation
import Crypto
import Testing
@testable import LogWard

@Suite struct PseudonymizerTests {
    /// Key 0x00 0x01 ... 0x1f; expected values from Python: hmac.new(key, domain + value, sha256).hexdigest()[:16].
    static let key = SymmetricKey(data: (0..<32).map { UInt8($0) })

    @Test(arguments: [
        (Pseudonymizer.Domain.address, "192.0.2.1", "h:423107a9f11f05f5"),
        (.address, "2001:db8::1", "h:e83bea1eab338853"),
        (.user, "alice", "h:424b36b96eeef556"),
        (.email, "john.doe@example.com", "h:b532f502dc4b7166"),
    ])
    func pseudonymsMatchHMACSHA256(domain: Pseudonymizer.Domain, value: String, expected: String) {
        var pseudonymizer = Pseudonymizer(key: Self.key)
        let first = pseudonymizer.pseudonym(of: Array(value.utf8), domain: domain)
        let cached = pseudonymizer.pseudonym(of: Array(value.utf8), domain: domain)
        #expect(String(decoding: first, as: UTF8.self) == expected)
        #expect(cached == first)
    }

    @Test func rfc4231TestCase2PinsTheHMACImplementation() {
        // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?".
        let code = HMAC<SHA256>.authenticationCode(for: Array("what do ya want for nothing?".utf8), using: SymmetricKey(data: Array("Jefe".utf8)))
        #expect(code.map { String(format: "%02x", $0) }.joined() == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
    }

    @Test func periodsAreUTCDays() {
        #expect(PseudonymizerPool.period(of: 1_268_647_200, periodDays: 1).name == "2010-03-15")
        #expect(PseudonymizerPool.period(of: 1_268_697_599, periodDays: 1).name == "2010-03-15")
        #expect(PseudonymizerPool.period(of: 1_268_697_600, periodDays: 1).name == "2010-03-16")
        #expect(PseudonymizerPool.period(of: 1_268_697_600, periodDays: 7).name == "2010-03-11")
    }
}
