import Foundation
import Testing
import LogWard

/// The planted fixture: every field class carries identifiers, under each policy version.
@Suite struct PolicyAnonymizationTests {
    static let input = Fixtures.path("planted/planted.log")
    static let format = try! LogFormat(String(contentsOfFile: Fixtures.path("planted/format.txt"), encoding: .utf8)
        .trimmingCharacters(in: .newlines))
    static let policies = ["123together-2003", "123together-2007", "groupsim-2009", "music123-2003", "zoomgroups-2008"]
    static let periods = ["2007-12-28", "2007-12-29", "2010-03-15"]

    /// Identifiers planted in the input that no policy lets through (raw addresses, users, e-mails, cookies).
    static let alwaysForbidden = [
        "198.51.100.23", "2001:db8:abcd:12::7", "203.0.113.9", "dialup-12-34", "alice", "heidi", "bob@example.org",
        "carol%40example.com", "carol", "dave@example.com", "192.0.2.55", "erin@example.com", "bot.owner", "ivan@",
        "203.0.113.77", "10.1.2.3", "2001:db8:ffff::1", "198.51.100.200", "198.51.100.24", "198.51.100.99",
        "frank@example.com", "s3cr3t", "enc0ded", "zg=abc", "session=",
    ]

    /// Account ids each version's rules name (path segments and query parameters).
    static let accountIDs: [String: [String]] = [
        "123together-2003": ["48151623", "31337", "777", "555", "4242", "=grace", "/111/"],
        "123together-2007": ["48151623", "31337", "555", "9876", "=grace", "/111/"],
        "groupsim-2009": ["48151623", "31337", "4242", "/111/"],
        "music123-2003": ["48151623", "31337", "9876", "/111/"],
        "zoomgroups-2008": ["48151623", "777", "555", "4242", "/111/"],
    ]

    func run(_ policy: String?, onReject: RejectHandling = .scrub) throws -> (String, [PassFileReport]) {
        let directory = try TemporaryDirectory()
        let keys = directory.path("keys")
        try KnownKeys.install(in: keys, policies: Self.policies, periods: Self.periods)
        let output = directory.path("out.log")
        let choice = try PolicyChoice(set: Rules.set, forcedPolicy: policy)
        let reports = try anonymizeFiles([Self.input], format: Self.format, choice: choice, keys: try KeyStore(directory: keys),
                                         outputPath: output, onReject: onReject)
        return (try String(contentsOfFile: output, encoding: .utf8), reports)
    }

    @Test(arguments: policies)
    func outputMatchesTheExpectedBytes(policy: String) throws {
        let (output, reports) = try run(policy)
        let expected = try String(contentsOfFile: Fixtures.path("planted/expected-\(policy).log"), encoding: .utf8)
        #expect(output == expected)
        #expect(reports[0].lines == 8)
        #expect(reports[0].written == 7)
        #expect(reports[0].scrubbed == 1)
        #expect(reports[0].rejections.sorted.map(\.reason) == [.formatMismatch])
    }

    @Test(arguments: policies)
    func nothingForbiddenLeaks(policy: String) throws {
        let (output, _) = try run(policy)
        for identifier in Self.alwaysForbidden + Self.accountIDs[policy]! {
            #expect(!output.contains(identifier), "\(identifier) leaked under \(policy)")
        }
        // Version strings are not addresses: they stay.
        #expect(output.contains("Chrome/129.0.0.0"))
    }

    @Test func rejectedLinesAreDroppedByDefault() throws {
        let (output, reports) = try run("music123-2003", onReject: .drop)
        #expect(!output.contains("garbage"))
        #expect(output.split(separator: "\n").count == 7)
        #expect(reports[0].written + reports[0].rejected == reports[0].lines)
    }

    @Test func eachLineFollowsItsSitesVersionInForce() throws {
        let (output, reports) = try run(nil)
        let lines = output.split(separator: "\n").map(String.init)
        // 123together: 2007-12-28 is still the 2003 version (truncate), 2007-12-29 the 2007 version (hash).
        #expect(lines[3].hasPrefix("123together.com example.net - - [28/Dec/2007:23:59:59 +0000]"))
        #expect(lines[4].hasPrefix("www.123together.com h:"))
        // An unknown site gets the strict default: no address, no query, no referrer, no agent.
        #expect(lines[5] == #"unknown.example - - - [15/Mar/2010:10:00:03 +0000] "GET /search HTTP/1.1" 200 10 "-" "-" "-" "-""#)
        let byPolicy = Dictionary(uniqueKeysWithValues: zip(Rules.set.policies.map(\.id), reports[0].linesByPolicy))
        #expect(byPolicy == ["123together-2003": 1, "123together-2007": 1, "groupsim-2009": 1, "music123-2003": 2,
                             "zoomgroups-2008": 1, "default": 1])
        #expect(reports[0].unknownSiteLines == 1)
    }

    @Test func pseudonymsAreStableWithinADayAndChangeAcrossDays() throws {
        let (output, _) = try run("music123-2003")
        let clients = output.split(separator: "\n").map { $0.split(separator: " ")[1] }
        // Lines 1, 6 and 8 are 198.51.100.23 on 2010-03-15; line 5 is the same address on 2007-12-29.
        #expect(clients[0] == clients[5])
        #expect(clients[0] == clients[7])
        #expect(clients[0] != clients[4])
        #expect(clients[0].hasPrefix("h:") && clients[0].count == 18)
    }

    /// One client's run of lines across midnight (daily keys) and across a site change (another policy): the code
    /// of a run is reused only within its policy and key period. Each code is checked against a fresh HMAC.
    @Test func aClientsRunChangesCodeAtMidnightAndWithThePolicy() throws {
        let directory = try TemporaryDirectory()
        // Random keys, one per policy and day (the known test keys are the same for every policy).
        let keys = directory.path("keys")
        let lines = [
            ("music123.com", "14/Mar/2010:23:59:58"), ("music123.com", "14/Mar/2010:23:59:59"),
            ("music123.com", "15/Mar/2010:00:00:00"), ("groups.im", "15/Mar/2010:00:00:01"),
            ("music123.com", "15/Mar/2010:00:00:02"),
        ].map { "\($0.0):80 198.51.100.23 - - [\($0.1) +0000] \"GET / HTTP/1.1\" 200 5 \"-\" \"curl/8\"" }
        let input = try directory.write("in.log", Array((lines.joined(separator: "\n") + "\n").utf8))
        let output = directory.path("out.log")
        _ = try anonymizeFiles([input], format: try LogFormat("vhost_combined"), choice: try PolicyChoice(set: Rules.set),
                               keys: try KeyStore(directory: keys), outputPath: output)
        let clients = try String(contentsOfFile: output, encoding: .utf8).split(separator: "\n").map { String($0.split(separator: " ")[1]) }
        func expected(_ policy: String, _ period: String) throws -> String {
            let key = try KeyStore(directory: keys).key(policy: policy, period: period)
            var text: [UInt8] = []
            Pseudonymizer.append(PrecomputedHMAC(key: key).code(prefix: 0x61, value: Array("198.51.100.23".utf8).span), to: &text)
            return String(decoding: text, as: UTF8.self)
        }
        #expect(clients == [try expected("music123-2003", "2010-03-14"), try expected("music123-2003", "2010-03-14"),
                            try expected("music123-2003", "2010-03-15"), try expected("groupsim-2009", "2010-03-15"),
                            try expected("music123-2003", "2010-03-15")])
        #expect(Set(clients).count == 3)
    }
}
