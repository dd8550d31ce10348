import Foundation
import Testing
import LogWard

@Suite struct RulesLoaderTests {
    @Test func theShippedRulesLoad() throws {
        let set = Rules.set
        #expect(set.policies.map(\.id).sorted() == ["123together-2003", "123together-2007", "default", "groupsim-2009",
                                                     "music123-2003", "zoomgroups-2008"])
        let versions = try #require(set.versions(site: "www.123together.com"))
        #expect(versions.map { set.policies[$0].id } == ["123together-2003", "123together-2007"])
        let switchDay = try #require(RulesLoader.parseDay("2007-12-29"))
        #expect(set.policies[set.resolve(versions: versions, day: switchDay - 1)].id == "123together-2003")
        #expect(set.policies[set.resolve(versions: versions, day: switchDay)].id == "123together-2007")
        // Older than every version: the oldest governs.
        #expect(set.policies[set.resolve(versions: versions, day: 0)].id == "123together-2003")
        #expect(set.policies[set.defaultIndex].id == "default")
    }

    static func normalize(_ text: String) -> String {
        text.replacingOccurrences(of: "**", with: "").split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    /// The sentences of a policy that rules cite, as fixtures/policy-quotes keeps them (the policy texts are not
    /// copied into the repository; `#` lines say where they come from).
    static func citedSentences(_ source: String) throws -> [String] {
        let path = Fixtures.path("policy-quotes/" + source)
        let text = try #require(try? String(contentsOfFile: path, encoding: .utf8), "missing fixture \(path)")
        return text.split(separator: "\n").filter { !$0.hasPrefix("#") }.map { normalize(String($0)) }
    }

    /// Every rule of a shipped policy cites its policy's own words: each quote stands in a cited sentence.
    @Test func everyQuoteStandsInACitedSentenceOfItsPolicy() throws {
        for policy in Rules.set.policies where !policy.isDefault {
            let sentences = try Self.citedSentences(policy.source)
            for (fieldClass, rule) in policy.fields {
                let quote = Self.normalize(try #require(rule.quote, "\(policy.id) \(fieldClass) has no quote"))
                #expect(sentences.contains { $0.contains(quote) }, "\(policy.id) \(fieldClass): \(quote)")
            }
            for (key, quote) in policy.listQuotes {
                #expect(sentences.contains { $0.contains(Self.normalize(quote)) }, "\(policy.id) \(key): \(quote)")
            }
            #expect(policy.fields.count == FieldClass.allCases.count, "\(policy.id) names every field class")
        }
    }

    /// Where the policy texts are (`make quotes` sets LOGWARD_POLICY_TEXTS), the cited sentences kept in
    /// fixtures/policy-quotes are checked against them, word for word.
    static let policyTexts = ProcessInfo.processInfo.environment["LOGWARD_POLICY_TEXTS"]

    @Test(.enabled(if: policyTexts != nil, "LOGWARD_POLICY_TEXTS names the policy texts (make quotes)"))
    func theCitedSentencesAreThePoliciesOwn() throws {
        let policies = URL(fileURLWithPath: try #require(Self.policyTexts))
        for source in Set(Rules.set.policies.filter { !$0.isDefault }.map(\.source)) {
            let text = Self.normalize(try String(contentsOf: policies.appendingPathComponent(source), encoding: .utf8))
            for sentence in try Self.citedSentences(source) { #expect(text.contains(sentence), "\(source): \(sentence)") }
        }
    }

    static let valid = """
        id: test-2020
        sites: [example.com]
        effective: 2020-01-01
        retention: { raw_days: 1, anonymized_days: 2, key_days: 1 }
        fields:
          client_address: { action: hash, quote: "q" }
        """

    @Test(arguments: [
        (valid.replacingOccurrences(of: "action: hash", with: "action: scramble"), 6, "unknown action 'scramble'"),
        (valid.replacingOccurrences(of: "client_address", with: "client_adress"), 6, "unknown field 'client_adress'"),
        (valid.replacingOccurrences(of: "effective: 2020-01-01\n", with: ""), 1, "missing required key 'effective'"),
        (valid.replacingOccurrences(of: "2020-01-01", with: "2020-02-30"), 3, "effective date '2020-02-30' is not YYYY-MM-DD"),
        (valid.replacingOccurrences(of: "sites: [example.com]", with: "sites: [example.com"), 3, "YAML syntax error"),
        (valid + "\n  cookies: { action: keep, quote: \"q\" }", 7, "cookies cannot be 'keep'"),
        (valid.replacingOccurrences(of: ", quote: \"q\"", with: ""), 6, "every rule cites the policy sentence"),
        (valid + "\nextra: 1", 7, "unknown key 'extra'"),
    ])
    func badRulesAreRefusedWithFileLineAndReason(text: String, line: Int, message: String) {
        do {
            _ = try RulesLoader.parse(text, file: "bad.yaml")
            Issue.record("accepted a bad rules file")
        } catch let error as RulesError {
            #expect(error.file == "bad.yaml")
            #expect(error.line == line, "\(error)")
            #expect(error.message.contains(message), "\(error)")
            #expect(ExitStatus.for(error) == .usage)
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    /// The per-policy action table is indexed by `FieldClass.index` in rows of `FieldClass.count`, written out as
    /// constants so that other modules need not build `allCases` per line: they must agree with `allCases`.
    @Test func fieldClassIndexesFollowAllCases() {
        #expect(FieldClass.count == FieldClass.allCases.count)
        #expect(FieldClass.allCases.map(\.index) == Array(0..<FieldClass.count))
    }

    @Test func twoVersionsOfASiteWithOneDateAreRefused() throws {
        let first = try RulesLoader.parse(Self.valid, file: "a.yaml")
        let second = try RulesLoader.parse(Self.valid.replacingOccurrences(of: "test-2020", with: "test-2020b"), file: "b.yaml")
        #expect(throws: RulesError(file: "b.yaml", line: nil, "test-2020 and test-2020b both govern example.com from 2020-01-01")) {
            try PolicySet([first, second])
        }
    }

    @Test func fieldsARulesFileLeavesOutAreDropped() throws {
        let policy = try RulesLoader.parse(Self.valid, file: "a.yaml")
        #expect(policy.action(.clientAddress) == .hash)
        #expect(policy.action(.userAgent) == .drop)
    }
}
