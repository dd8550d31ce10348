import Foundation
import Crypto
import Testing
import LogWard
@testable import LogWardAnonymize

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

    /// The precomputed-pad HMAC gives `HMAC<SHA256>`'s bytes: keys of 0, 4, 32, 64 and 100 bytes (longer than
    /// a block: hashed first), inputs of 0 to 300 bytes across block edges.
    @Test func precomputedHMACEqualsSwiftCrypto() {
        var generator = SeededRandom(seed: 0x5EED_4D4C)
        for keyLength in [0, 4, 32, 64, 100] {
            let key = SymmetricKey(data: (0..<keyLength).map { _ in UInt8.random(in: 0...255, using: &generator) })
            let fast = PrecomputedHMAC(key: key)
            for length in [0, 1, 54, 55, 56, 63, 64, 65, 119, 120, 128, 300] {
                let value = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
                let expected = HMAC<SHA256>.authenticationCode(for: [0x76] + value, using: key)
                    .withUnsafeBytes { $0.prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) } }
                #expect(fast.code(prefix: 0x76, value: value.span) == expected, "key \(keyLength) value \(length)")
                #expect(fast.code(message: ([0x76] + value).span) == expected, "key \(keyLength) message \(length)")
            }
        }
        // RFC 4231 test case 2 through the precomputed path: "w" as the prefix byte, the rest as the value.
        let jefe = PrecomputedHMAC(key: SymmetricKey(data: Array("Jefe".utf8)))
        let code = jefe.code(prefix: UInt8(ascii: "w"), value: Array("hat do ya want for nothing?".utf8).span)
        #expect(code == 0x5bdc_c146_bf60_754e)
        #expect(jefe.code(message: Array("what do ya want for nothing?".utf8).span) == 0x5bdc_c146_bf60_754e)
    }

    /// A new period re-keys the slot's pseudonymizer and forgets its cached codes: the same address gets the
    /// code of each day's key, and back on the first day the first code again (each equal to a fresh HMAC).
    @Test func aNewPeriodNeverReturnsTheOldPeriodsCode() throws {
        let directory = try TemporaryDirectory()
        let store = try KeyStore(directory: directory.path("keys"))
        let pool = PseudonymizerPool(keys: store)
        let address = IPAddress.parse("192.0.2.7")!
        let day = Int64(1_268_647_200)
        func code(_ epoch: Int64) throws -> UInt64 {
            try pool.code(policyIndex: 0, policyID: "p", periodDays: 1, epoch: epoch, address: address)
        }
        func expected(_ period: String) throws -> UInt64 {
            PrecomputedHMAC(key: try! store.key(policy: "p", period: period)).code(prefix: 0x61, value: Array("192.0.2.7".utf8).span)
        }
        let first = try code(day)
        let second = try code(day + 86_400)
        let again = try code(day + 60)
        #expect(first == (try expected("2010-03-15")))
        #expect(second == (try expected("2010-03-16")))
        #expect(first != second)
        #expect(again == first)
        #expect(pool.keysUsed == ["p/2010-03-15", "p/2010-03-16"])
    }

    @Test func periodsAreUTCDays() {
        #expect(PseudonymizerPool.period(of: 1_268_647_200, periodDays: 1).name == "2010-03-15")
        #expect(PseudonymizerPool.period(of: 1_268_697_599, periodDays: 1).name == "2010-03-15")
        #expect(PseudonymizerPool.period(of: 1_268_697_600, periodDays: 1).name == "2010-03-16")
        #expect(PseudonymizerPool.period(of: 1_268_697_600, periodDays: 7).name == "2010-03-11")
    }
}
