import Foundation
import Testing
import LogWard

/// What the compliance audit accepts as already anonymized, field by field, under a truncating, a hashing and a
/// dropping policy: each line holds one thing, and the test names the finding it must give (or none).
@Suite struct ComplianceCheckerTests {
    static let format = #"%h %l %u %t "%r" %>s %b "%{Referer}i" "%{User-Agent}i" "%{X-Forwarded-For}i""#

    /// One line of `format`: every field plain unless given.
    static func line(client: String = "-", user: String = "-", target: String = "/", referrer: String = "-",
                     agent: String = "Mozilla/5.0", forwardedFor: String = "-") -> String {
        #"\#(client) - \#(user) [10/May/2005:10:00:00 +0000] "GET \#(target) HTTP/1.1" 200 5 "\#(referrer)" "\#(agent)" "\#(forwardedFor)""#
    }

    /// The audit's findings for `lines` under `policy`, as `finding [line numbers]`.
    static func findings(_ lines: [String], policy: String) throws -> [String] {
        let directory = try TemporaryDirectory()
        let path = try directory.write("access.log", Array((lines.joined(separator: "\n") + "\n").utf8))
        var auditor = Auditor(policies: try RulesLoader.load(directory: AuditTests.rules), format: try LogFormat(format),
                              now: RulesLoader.parseDay("2005-05-11")! * 86_400)
        auditor.forcedPolicy = policy
        let (report, _) = try auditor.audit(paths: [path])
        let file = try #require(report.files.first)
        return file.findings.sorted.map { "\($0.finding.rawValue) \($0.firstLines)" }
    }

    /// 123together-2003 truncates addresses to /24 and /48 and host names to their registrable domain: what is
    /// already that short passes, one bit more is a finding, in the client field, a forwarded-for list and free text.
    @Test func underTruncationWhatIsAlreadyTruncatedPasses() throws {
        let lines = [
            Self.line(client: "203.0.113.0"),                                          // 1 clean
            Self.line(client: "203.0.113.9"),                                          // 2 client-address
            Self.line(client: "2001:db8:1::"),                                         // 3 clean
            Self.line(client: "2001:db8:1:2::5"),                                      // 4 client-address
            Self.line(client: "example.com"),                                          // 5 clean
            Self.line(client: "host-7.example.com"),                                   // 6 client-address
            Self.line(forwardedFor: "unknown, 198.51.100.0:8080"),                     // 7 clean
            Self.line(forwardedFor: "198.51.100.0, 198.51.100.7"),                     // 8 forwarded-for
            Self.line(user: "alice"),                                                  // 9 remote-user
            Self.line(agent: "Mozilla/5.0 (proxy 192.0.2.44)"),                        // 10 address-in-text
            Self.line(agent: "Mozilla/5.0 (proxy 192.0.2.0)"),                         // 11 clean
            Self.line(target: "/members/12345"),                                       // 12 account-id
            Self.line(target: "/members/:id"),                                         // 13 clean
            Self.line(target: "/find?login=bob"),                                      // 14 account-id
            Self.line(referrer: "http://example.org/?from=bob@example.com"),           // 15 email
            Self.line(target: "/?page=2"),                                             // 16 clean
            Self.line(target: "/?phone=555-123-4567"),                                 // 17 query-string
        ]
        #expect(try Self.findings(lines, policy: "123together-2003") == [
            "account-id [12, 14]", "address-in-text [10]", "client-address [2, 4, 6]", "email [15]",
            "forwarded-for [8]", "query-string [17]", "remote-user [9]",
        ])
    }

    /// music123-2003 hashes addresses: only a pseudonym (`h:` and 16 hex digits) passes, a truncated address does
    /// not, nor does a host name; its query strings keep the values of an allow-list, every other value must be a placeholder.
    @Test func underHashingOnlyPseudonymsPass() throws {
        let pseudonym = "h:0123456789abcdef"
        let lines = [
            Self.line(client: pseudonym),                                              // 1 clean
            Self.line(client: "203.0.113.0"),                                          // 2 client-address
            Self.line(client: "host-7.example.com"),                                   // 3 client-address
            Self.line(forwardedFor: "\(pseudonym), unknown"),                          // 4 clean
            Self.line(forwardedFor: "\(pseudonym), 198.51.100.0"),                     // 5 forwarded-for
            Self.line(target: "/?genre=rock&q=beatles"),                               // 6 query-string
            Self.line(target: "/?genre=rock&q=:value"),                                // 7 clean
            Self.line(agent: "Mozilla/5.0 (proxy 192.0.2.0)"),                         // 8 address-in-text
            Self.line(user: pseudonym),                                                // 9 remote-user (dropped)
            Self.line(target: "/account/:id?uid=:id"),                                 // 10 clean
            Self.line(target: "/account/77?uid=:id"),                                  // 11 account-id
        ]
        let found = try Self.findings(lines, policy: "music123-2003")
        #expect(found == [
            "account-id [11]", "address-in-text [8]", "client-address [2, 3]", "forwarded-for [5]", "query-string [6]",
            "remote-user [9]",
        ], "\(found)")
    }

    /// zoomgroups-2008 drops addresses: `-` passes, and so does nothing else, a pseudonym included.
    @Test func underDroppingOnlyADashPasses() throws {
        let lines = [
            Self.line(client: "-"),                                                    // 1 clean
            Self.line(client: "203.0.113.0"),                                          // 2 client-address
            Self.line(client: "h:0123456789abcdef"),                                   // 3 client-address
            Self.line(forwardedFor: "h:0123456789abcdef"),                             // 4 forwarded-for
        ]
        #expect(try Self.findings(lines, policy: "zoomgroups-2008") == ["client-address [2, 3]", "forwarded-for [4]"])
    }
}
