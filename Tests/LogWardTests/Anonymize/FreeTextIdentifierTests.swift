import Foundation
import Testing
import LogWard

/// Identifiers outside the named fields (issue 15): echoes of the client, addresses and e-mails in any kept text,
/// headers, query values, odd address shapes, a bare carriage return. The fixture `planted/freetext.log` carries
/// each; every policy and the default must write the expected bytes and let none through.
@Suite struct FreeTextIdentifierTests {
    static let input = Fixtures.path("planted/freetext.log")
    static let format = try! LogFormat(String(contentsOfFile: Fixtures.path("planted/freetext-format.txt"), encoding: .utf8)
        .trimmingCharacters(in: .newlines))
    static let policies = ["123together-2003", "123together-2007", "groupsim-2009", "music123-2003", "zoomgroups-2008", "default"]

    /// Every identifier planted in the fixture.
    static let planted = [
        "host6965", "verizon", "fe80::1", "2001:db8::5", "oscar", "203.0.113.9", "YWxpY2U6c2VjcmV0", "ENCRYPTEDPASSWORD",
        "198.51.100.61", "John", "Smith", "555-123-4567", "abc123def", "eyJhbGci", "15551234567", "diagnosis",
        "198.51.100.79", "198.51.100.84", "198.51.100.98", "198.51.100.85", "198.51.100.94", "198.51.100.97",
        "2001:db8::86", "3325256824", "0xC6336450", "198.051.100.079", "66442211", "ABCDEF0123456789", "mallorys-laptop",
        "3_343_lt_someone", "alice", "0A1B2C3D", "2001:db8::99", "2001:db8::98", "10.20.30.40", "bob",
        "198.51.100.23", "198.51.100.24", "198.51.100.25", "198.51.100.26", "198.51.100.27", "198.51.100.28",
        "198.51.100.29", "198.51.100.30", "198.51.100.31", "198.51.100.32", "198.51.100.33",
    ]

    static func anonymize(_ input: String, format: LogFormat, policy: String, rules: PolicySet = Rules.set,
                          onReject: RejectHandling = .scrub) throws -> (String, PassFileReport) {
        let directory = try TemporaryDirectory()
        let keys = directory.path("keys")
        try KnownKeys.install(in: keys, policies: rules.policies.map(\.id), periods: ["2010-03-15"])
        let output = directory.path("out.log")
        let choice = try PolicyChoice(set: rules, forcedPolicy: policy)
        let reports = try anonymizeFiles([input], format: format, choice: choice, keys: try KeyStore(directory: keys),
                                         outputPath: output, onReject: onReject)
        return (try String(contentsOfFile: output, encoding: .utf8), reports[0])
    }

    @Test(arguments: policies)
    func outputMatchesTheExpectedBytes(policy: String) throws {
        let (output, report) = try Self.anonymize(Self.input, format: Self.format, policy: policy)
        let expected = try String(contentsOfFile: Fixtures.path("planted/freetext-expected-\(policy).log"), encoding: .utf8)
        #expect(output == expected)
        // 14 lines of text, one of them two records joined by a bare carriage return.
        #expect(report.lines == 15)
        #expect(report.written == 15)
    }

    @Test(arguments: policies)
    func nothingPlantedSurvives(policy: String) throws {
        let (output, _) = try Self.anonymize(Self.input, format: Self.format, policy: policy)
        for identifier in Self.planted {
            #expect(!output.lowercased().contains(identifier.lowercased()), "\(identifier) leaked under \(policy)")
        }
    }

    @Test func productVersionsInAgentsStay() throws {
        let (output, _) = try Self.anonymize(Self.input, format: Self.format, policy: "music123-2003")
        #expect(output.contains("Chrome/129.0.0.0"))
    }

    /// `%v:%p %V` with no `%h`: the client's address lands in a field logward has no class for; it is still found.
    @Test(arguments: ["music123-2003", "default"])
    func anAddressInAFieldOfNoClassIsRewritten(policy: String) throws {
        let directory = try TemporaryDirectory()
        let log = directory.path("vhost.log")
        try "music123.com:443 198.51.100.7 - - [15/Mar/2010:10:00:00 +0000] \"GET / HTTP/1.1\" 200 5 \"-\" \"-\"\n"
            .write(toFile: log, atomically: true, encoding: .utf8)
        let format = try LogFormat(#"%v:%p %V %l %u %t "%r" %>s %b "%{Referer}i" "%{User-Agent}i""#)
        let (output, _) = try Self.anonymize(log, format: format, policy: policy)
        #expect(!output.contains("198.51.100.7"))
        #expect(output.hasPrefix("music123.com:443 "))
    }

    /// nginx: `$http_authorization`, `$cookie_session`, `$sent_http_set_cookie` are credentials; `$http_accept_language`
    /// stays only where a rules file keeps it, by name, with a quote.
    @Test func headersAreDroppedUnlessARuleKeepsThemAndCredentialsAlways() throws {
        let directory = try TemporaryDirectory()
        let log = directory.path("nginx.log")
        try "198.51.100.7 [15/Mar/2010:10:00:00 +0000] \"GET / HTTP/1.1\" 200 \"Basic YWxpY2U6c2VjcmV0\" \"s3cr3t\" \"auth=PW; Path=/\" \"en-US\" \"10.1.2.6:443\"\n"
            .write(toFile: log, atomically: true, encoding: .utf8)
        let format = try LogFormat(#"$remote_addr [$time_local] "$request" $status "$http_authorization" "$cookie_session" "$sent_http_set_cookie" "$http_accept_language" "$upstream_addr""#)
        let (dropped, _) = try Self.anonymize(log, format: format, policy: "music123-2003")
        #expect(dropped.hasSuffix(#" "-" "-" "-" "-" "h:80e8f6f0b895b5db:443""# + "\n"), "\(dropped)")

        let rules = directory.path("rules")
        try FileManager.default.createDirectory(atPath: rules, withIntermediateDirectories: true)
        var text = try String(contentsOfFile: Rules.directory + "/music123-2003.yaml", encoding: .utf8)
        text = text.replacingOccurrences(of: "fields:\n", with: """
            headers:
              keep: [Accept-Language, Authorization]
              quote: "used to determine general site usage patterns and to analyze trends"
            fields:

            """)
        try text.write(toFile: rules + "/music123-2003.yaml", atomically: true, encoding: .utf8)
        let (kept, _) = try Self.anonymize(log, format: format, policy: "music123-2003", rules: try RulesLoader.load(directory: rules))
        // Accept-Language is kept; Authorization is a credential whatever the rules say.
        #expect(kept.contains(#" "-" "-" "-" "en-US" "#), "\(kept)")
    }

    /// A forwarded-for entry that is a host name, echoed in the query, gets what its entry got.
    @Test(arguments: [("123together-2007", true), ("zoomgroups-2008", false)])
    func aForwardedHostNameEchoedElsewhereIsRewrittenAlike(policy: String, hashes: Bool) throws {
        let directory = try TemporaryDirectory()
        let log = directory.path("xff.log")
        try "198.51.100.7 [15/Mar/2010:10:00:00 +0000] \"GET /p?via=Proxy-7.Corp.example.net HTTP/1.1\" 200 \"proxy-7.corp.example.net:3128, 10.0.0.1\"\n"
            .write(toFile: log, atomically: true, encoding: .utf8)
        let format = try LogFormat(#"%h %t "%r" %>s "%{X-Forwarded-For}i""#)
        let (output, _) = try Self.anonymize(log, format: format, policy: policy)
        #expect(!output.lowercased().contains("proxy-7"), "\(output)")
        let line = output.trimmingCharacters(in: .newlines)
        if hashes {
            // The same pseudonym in the list and in the query.
            let entry = try #require(line.split(separator: "\"").last?.split(separator: ",").first.map(String.init))
            #expect(entry.hasPrefix("h:") && line.contains("via=\(entry) "), "\(line)")
        } else {
            #expect(line.hasSuffix(#"/p?via=- HTTP/1.1" 200 "-""#), "\(line)")
        }
    }

    @Test func aListOfKeptNamesWithoutAQuoteIsRefused() throws {
        var text = try String(contentsOfFile: Rules.directory + "/music123-2003.yaml", encoding: .utf8)
        text = text.replacingOccurrences(of: "fields:\n", with: "headers:\n  keep: [Accept-Language]\nfields:\n")
        let error = try #require(throws: RulesError.self) { try RulesLoader.parse(text, file: "music123-2003.yaml") }
        #expect(error.description.contains("headers: a list of what is kept cites the policy sentence it serves (quote:)"))
    }

    /// Two identities echoed in one line (a host-name client and a user): each echo gets its own field's rewrite,
    /// and a number or time the parser checked keeps its bytes even when it equals a user name.
    @Test func severalEchoesAreRewrittenTogetherAndCheckedFieldsStay() throws {
        let directory = try TemporaryDirectory()
        let log = directory.path("echo.log")
        try "host9.dialup.example.net - 2010 [15/Mar/2010:10:00:00 +0000] \"GET /u/host9.dialup.example.net/2010 HTTP/1.1\" 200 5 \"-\" \"x\"\n"
            .write(toFile: log, atomically: true, encoding: .utf8)
        let (output, report) = try Self.anonymize(log, format: .combined, policy: "123together-2007", onReject: .drop)
        #expect(report.written == 1)
        let line = output.trimmingCharacters(in: .newlines)
        let client = try #require(line.split(separator: " ").first.map(String.init))
        #expect(client.hasPrefix("h:"))
        // The year in the time field stays; the user's echo in the path is `-` (123together 2007 drops users).
        #expect(line == "\(client) - - [15/Mar/2010:10:00:00 +0000] \"GET /u/\(client)/- HTTP/1.1\" 200 5 \"-\" \"x\"", "\(line)")
    }

    /// Query names in a form's nested notation are judged by their innermost key.
    @Test func nestedFormNamesAreJudgedByTheirInnermostKey() {
        func mark(_ name: String, _ value: String) -> String? {
            let key = Array(name.utf8), bytes = Array(value.utf8)
            return QueryParameters.mandatoryMark(name: key.span, value: bytes.span, inReferrer: false).map { String(decoding: $0, as: UTF8.self) }
        }
        #expect(mark("user[password]", "hunter2") == ":secret")
        #expect(mark("user%5Bphone%5D", "x") == ":personal")
        #expect(mark("user[page]", "2") == nil)
    }

    /// The statistics' paths use the same detectors: nothing of the person in `breakdown.csv`'s path rows.
    @Test func statisticsPathsAreNormalizedByTheSameDetectors() {
        let normalizer = PathNormalizer(policies: Rules.set.policies)
        let index = Rules.set.policies.firstIndex { $0.id == "zoomgroups-2008" }!
        let target = Array("/files/client_198.51.100.94/oscar@example.com.json;jsessionid=0A1B?x=1".utf8)
        let path = normalizer.normalize(target.span, policyIndex: index)
        #expect(String(decoding: path, as: UTF8.self) == "/files/client_:ip/:email.json;jsessionid=:secret")
        let defaultIndex = Rules.set.policies.firstIndex { $0.isDefault }!
        let ids = Array("/users/66442211/profile/0f8fad5b-d9cb-469f-a165-70867728950e".utf8)
        #expect(String(decoding: normalizer.normalize(ids.span, policyIndex: defaultIndex), as: UTF8.self)
                == "/users/:id/profile/:id")
    }

    /// `--on-reject scrub` writes no account id, query value or address of a line it could not parse.
    @Test func aScrubbedLineKeepsNoIdentifierShapedToken() {
        let line = Array("garbage 198.51.100.7 bob \"GET /users/77/inbox?name=Ann HTTP/1.1\" ip:198.51.100.84".utf8)
        let scrubbed = LineScrubber.scrub(line.span)
        // The first four tokens could be client, identity, user and vhost: all go.
        #expect(String(decoding: scrubbed, as: UTF8.self) == "- - - - /users/:id/inbox?name=- HTTP/1.1\" ip:[ip]")
    }

    /// A query value that holds an e-mail and more goes whole: the value's replacement covers the e-mail's, not
    /// the other way round (`,secret123` was written as it is after `[email]`).
    @Test func aScrubbedQueryValueGoesWholeWhenAnIdentifierIsOnlyPartOfIt() {
        let line = Array(#"a b c d e "GET /p?u=jane@example.org,secret123&x=1&ip=198.51.100.7:8080x HTTP/1.1" junk"#.utf8)
        let scrubbed = LineScrubber.scrub(line.span)
        #expect(String(decoding: scrubbed, as: UTF8.self) == #"- - - - e "GET /p?u=-&x=-&ip=- HTTP/1.1" junk"#)
    }

    /// Two detectors' ranges overlap when an account id's path segment holds a session parameter (found by the
    /// anonymizer fuzz target: every policy trapped on it). Neither the id nor the session id comes through.
    @Test(arguments: policies)
    func anAccountSegmentHoldingASessionParameter(policy: String) throws {
        let line = #"music123.com 198.51.100.30 - - [15/Mar/2010:10:00:08 +0000] "GET /users/66442;jsessionid=ABCDEF0123/x?sid=1 HTTP/1.1" 200 5 "-" "Mozilla/5.0" "-" "-" "-" "-" "-""#
        let directory = try TemporaryDirectory()
        let log = try directory.write("path-parameter.log", line + "\n")
        let (output, report) = try Self.anonymize(log, format: Self.format, policy: policy)
        #expect(report.written == 1)
        #expect(output.contains(#""GET /users/"#) && output.contains("/x"))
        #expect(!output.contains("66442"))
        #expect(!output.contains("ABCDEF0123"))
    }

    /// An identifier written with character references in a query stops its value at the first `&`: the value's
    /// replacement covers its start only, and the rest (`&#46;0&#46;2&#46;1`: three octets) was written as it is
    /// under the policies that replace query values. The scanner's match is applied over it.
    @Test(arguments: policies)
    func anIdentifierLongerThanTheQueryValueItStartsIn(policy: String) throws {
        let line = #"music123.com 198.51.100.30 - - [15/Mar/2010:10:00:08 +0000] "GET /p?u=jane&#64;example.org&ip=192&#46;0&#46;2&#46;1 HTTP/1.1" 200 5 "http://x.example/?r=bob&#x40;example.com" "Mozilla/5.0" "-" "-" "-" "-" "-""#
        let directory = try TemporaryDirectory()
        let log = try directory.write("references.log", line + "\n")
        let (output, report) = try Self.anonymize(log, format: Self.format, policy: policy)
        #expect(report.written == 1)
        for remnant in ["jane", "bob", "example.org", "example.com", "&#46;2", "&#64;", "&#x40;"] {
            #expect(!output.contains(remnant), "\(remnant) in \(output)")
        }
    }

    /// A seeded mix of every shape above, under every policy: not one planted identifier comes through.
    @Test(arguments: policies)
    func aGeneratedMixLeaksNothing(policy: String) throws {
        var random = SeededRandom(seed: 15)
        var lines: [String] = []
        var identifiers: Set<String> = []
        for second in 0..<400 {
            let a = "198.51.\(random.next(in: 1...254)).\(random.next(in: 1...254))"
            let b = "203.0.\(random.next(in: 1...254)).\(random.next(in: 1...254))"
            let v6 = "2001:db8:\(String(random.next(in: 1...0xfffe), radix: 16))::\(String(random.next(in: 1...0xfffe), radix: 16))"
            let person = "user\(random.next(in: 10_000...99_999))"
            let email = "\(person)@example.org"
            let host = "host\(random.next(in: 1000...9999)).dialup.example.net"
            // The same addresses with their separators percent-encoded, once or twice, as a query value carries them.
            // ... or as HTML character references.
            let encodedB = b.replacingOccurrences(of: ".", with: ["%2E", "%2e", "%252E", "&#46;", "&#x2E;"][random.next(in: 0...4)])
            let encodedV6 = v6.replacingOccurrences(of: ":", with: ["%3A", "%3a", "%253A", "&#58;", "&#x3a;"][random.next(in: 0...4)])
            let encodedEmail = email.replacingOccurrences(of: "@", with: ["%40", "%2540", "&#64;", "&#x40;"][random.next(in: 0...3)])
            identifiers.formUnion([a, b, v6, person, host, encodedB, encodedV6, encodedEmail])
            let client = random.next(in: 0...3) == 0 ? host : a
            let target = [
                "/p?x=\(b):8080", "/p?ip:\(b)", "/files/client_\(b)/x", "/r?u=http%3A%2F%2F\(b)%2F", "/q?l=a%2C\(b)",
                "/v?h=%5B\(v6)%5D", "/u/\(email).json", "/e?m=\(person)%2540example.org", "/d?c=\(client)",
                "/s?name=\(person)&page=1", "/t?phone=%2B1555\(random.next(in: 1_000_000...9_999_999))",
                "/w?ip=\(encodedB)&x=1", "/x?ip=\(encodedV6)", "/m?to=\(encodedEmail)&x=2",
            ][random.next(in: 0...13)]
            let agent = ["Mozilla/5.0 (proxy \(b))", "Mozilla/5.0 Chrome/129.0.0.0", "bot (+mailto:\(email))", "x [\(v6)]:443"][random.next(in: 0...3)]
            let minute = String(format: "%02d:%02d", second / 60, second % 60)
            lines.append("music123.com \(client) - \(person) [15/Mar/2010:10:\(minute) +0000] \"GET \(target) HTTP/1.1\" 200 5 "
                         + "\"http://\(b)/from\" \"\(agent)\" \"\(b), \(a)\" \"-\" \"-\" \"-\" \"-\"")
        }
        let directory = try TemporaryDirectory()
        let log = directory.path("mix.log")
        try (lines.joined(separator: "\n") + "\n").write(toFile: log, atomically: true, encoding: .utf8)
        let (output, report) = try Self.anonymize(log, format: Self.format, policy: policy)
        #expect(report.written == 400)
        let leaks = identifiers.filter { output.contains($0) }
        #expect(leaks.isEmpty, "\(leaks.count) identifiers leaked under \(policy): \(leaks.sorted().prefix(5))")
    }
}
