import Testing
import LogWard

/// Account path patterns: where an id sits in a path, and the first-segment test that spares most URLs the match.
@Suite struct PathPatternTests {
    static func ranges(_ pattern: String, _ path: String) -> [String]? {
        let bytes = Array(path.utf8)
        return bytes.withSpan { buffer in
            PathPattern(pattern)!.identifierRanges(in: buffer)?.map { "\($0.name)=" + String(decoding: bytes[$0.range], as: UTF8.self) }
        }
    }

    @Test func patternsMarkIdentifierSegmentsOfAMatchingPrefix() {
        #expect(Self.ranges("/users/{id}", "/users/42/profile") == ["id=42"])
        #expect(Self.ranges("/groups/*/members/{id}", "/groups/jazz/members/7") == ["id=7"])
        #expect(Self.ranges("/users/{id}", "/users") == nil)
        #expect(Self.ranges("/users/{id}", "/users//x") == nil)
        #expect(Self.ranges("/users/{id}", "/usersx/42") == nil)
        #expect(Self.ranges("/{id}/profile", "/alice/profile") == ["id=alice"])
    }

    /// The allocation-free form the anonymizer and the statistics use: ranges with their placeholders, appended
    /// only on a match; `matches` agrees with it.
    @Test func identifiersAreAppendedWithTheirPlaceholdersOnlyOnAMatch() {
        func append(_ pattern: String, _ path: String) -> (Bool, [String], Bool) {
            let bytes = Array(path.utf8)
            var found: [(Range<Int>, [UInt8])] = [(0..<0, Array("kept".utf8))]
            return bytes.withSpan { buffer in
                let pattern = PathPattern(pattern)!
                let matched = pattern.appendIdentifiers(in: buffer, to: &found)
                let texts = found.map { String(decoding: $0.1, as: UTF8.self) + "=" + String(decoding: bytes[$0.0], as: UTF8.self) }
                return (matched, texts, pattern.matches(buffer))
            }
        }
        #expect(append("/users/{id}", "/users/42/profile") == (true, ["kept=", ":id=42"], true))
        #expect(append("/g/{group}/m/{member}", "/g/jazz/m/7") == (true, ["kept=", ":group=jazz", ":member=7"], true))
        #expect(append("/g/{group}/m/{member}", "/g/jazz/x/7") == (false, ["kept="], false))
        #expect(append("/users/{id}", "/users/") == (false, ["kept="], false))
        #expect(append("/*/{id}", "/a/b") == (true, ["kept=", ":id=b"], true))
    }

    @Test func thePrefilterPassesEveryPathAPatternOfItsPolicyCouldMatch() {
        let prefilter = PathPatternPrefilter([
            ["/users/{id}", "/groups/*/members/{id}"].map { PathPattern($0)! },
            ["/account/{id}"].map { PathPattern($0)! },
            ["/{id}/profile"].map { PathPattern($0)! },
            [],
        ])
        func may(_ path: String, _ policy: Int) -> Bool {
            prefilter.mayMatch(Array(path.utf8).span, policyIndex: policy)
        }
        #expect(may("/users/5", 0) && may("/users", 0) && may("/groups/x/members/2", 0))
        #expect(!may("/blog/1", 0) && !may("/user/5", 0) && !may("/account/7", 0))
        #expect(may("/account/7", 1) && !may("/accounts/7", 1) && !may("/users/5", 1))
        #expect(!may("/", 1) && !may("", 1) && !may("account/7", 1))
        // A pattern that starts with an identifier may match any first segment.
        #expect(may("/anything/profile", 2) && may("/blog", 2))
        #expect(!may("/users/5", 3))
    }
}
