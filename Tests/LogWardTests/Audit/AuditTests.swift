import Foundation
import Testing
import LogWard

/// The compliance checker on the planted fixture and the anonymized outputs, and `audit --fix` outside an archive.
@Suite struct AuditTests {
    static let rules = Fixtures.repositoryRoot.appendingPathComponent("rules").path

    static func plantedFormat() throws -> String {
        try String(contentsOfFile: Fixtures.path("planted/format.txt"), encoding: .utf8).trimmingCharacters(in: .newlines)
    }

    @Test func thePlantedRawLogShowsEveryKindOfIdentifierByLineNumber() throws {
        let policies = try RulesLoader.load(directory: Self.rules)
        let auditor = Auditor(policies: policies, format: try LogFormat(try Self.plantedFormat()), now: RulesLoader.parseDay("2026-01-01")! * 86_400)
        let (report, _) = try auditor.audit(paths: [Fixtures.path("planted/planted.log")])
        let file = try #require(report.files.first)
        #expect(file.findings.sorted.map { "\($0.finding.rawValue) \($0.lines) \($0.firstLines)" } == [
            "account-id 4 [1, 3, 4, 5]", "address-in-url 1 [1]", "client-address 7 [1, 2, 3, 4, 5]", "cookie 3 [1, 3, 6]",
            // Query strings: line 1's `email=` value and line 2's search term are kept by no policy.
            "email 2 [1, 2]", "forwarded-for 4 [1, 2, 4, 6]", "query-string 3 [1, 2, 6]", "referrer 1 [6]", "remote-user 3 [1, 2, 6]",
            "unparsable-line-with-identifiers 1 [7]", "user-agent 1 [6]",
        ])
        #expect(report.violations.map(\.kind) == [.rawPastWindow, .pastWindow])
        #expect(report.violations[0].line == 1)
    }

    /// The audit runs the anonymizer's detectors: an address inside a raw user agent is a finding, and the
    /// anonymized free-text fixture is clean under every policy.
    @Test func theAuditFindsWhatTheAnonymizerRewritesInFreeText() throws {
        let policies = try RulesLoader.load(directory: Self.rules)
        let format = try LogFormat(try String(contentsOfFile: Fixtures.path("planted/freetext-format.txt"), encoding: .utf8)
            .trimmingCharacters(in: .newlines))
        var auditor = Auditor(policies: policies, format: format, now: RulesLoader.parseDay("2010-03-16")! * 86_400)
        auditor.forcedPolicy = "music123-2003"
        let (raw, _) = try auditor.audit(paths: [Fixtures.path("planted/freetext.log")])
        let findings = raw.files[0].findings.sorted.map { "\($0.finding.rawValue) \($0.firstLines)" }
        #expect(findings.contains("address-in-text [2, 6, 13]"), "\(findings)")
        for policy in ["123together-2003", "123together-2007", "groupsim-2009", "music123-2003", "zoomgroups-2008"] {
            auditor.forcedPolicy = policy
            let (report, _) = try auditor.audit(paths: [Fixtures.path("planted/freetext-expected-\(policy).log")])
            #expect(report.files[0].findings.isEmpty, "\(policy): \(report.files[0].findings.summary)")
        }
    }

    @Test(arguments: ["123together-2003", "123together-2007", "groupsim-2009", "music123-2003", "zoomgroups-2008"])
    func whatTheAnonymizerWritesTheAuditFindsClean(policy: String) throws {
        let policies = try RulesLoader.load(directory: Self.rules)
        var auditor = Auditor(policies: policies, format: try LogFormat(try Self.plantedFormat()), now: RulesLoader.parseDay("2010-03-16")! * 86_400)
        auditor.forcedPolicy = policy
        let (report, _) = try auditor.audit(paths: [Fixtures.path("planted/expected-\(policy).log")])
        #expect(report.files[0].findings.isEmpty, "\(report.files[0].findings.summary)")
        // Windows are judged by a file's oldest line: its line of 2007-12-28 is past every anonymized window
        // (730 days at most) on 2010-03-16, though its newest line is a day old.
        #expect(report.violations.map(\.kind) == [.pastWindow])
        #expect(report.violations.first?.message.contains("oldest line 2007-12-28") == true, "\(report.violations)")
    }

    @Test func fixOutsideAnArchiveReplacesOldRawLogsAndDeletesExpiredOnes() throws {
        let directory = try TemporaryDirectory()
        // music123 keeps no raw data and anonymized data 730 days: one log 400 days old, one 800.
        let recent = try SyntheticLogs.write(directory.path("logs/access.log.2.gz"), day: "2025-10-20", count: 9)
        let old = try SyntheticLogs.write(directory.path("logs/access.log.9.gz"), day: "2024-09-01", count: 9)
        let trail = directory.path("trail.jsonl")
        let arguments = ["audit", "--rules", Self.rules, "--site", "music123.com", "--keys", directory.path("keys"),
                         "--now", "2026-11-23", "--trail", trail, directory.path("logs")]
        let first = try CommandRunner.run(arguments)
        #expect(first.status == 1)
        #expect(first.stdout.contains("VIOLATION raw-past-window: \(recent):1: identifiers kept past the raw window of 0 days"), "\(first.stdout)")
        #expect(first.stdout.contains("VIOLATION past-window: \(old): kept past its window of 730 days"))

        let json = try CommandRunner.run(arguments + ["--json"])
        #expect(json.status == 1)
        let report = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        let violations = try #require(report?["violations"] as? [[String: Any]])
        // The old log breaks both windows: identifiers kept past the raw one, data kept past its own.
        #expect(violations.map { $0["kind"] as? String } == ["raw-past-window", "raw-past-window", "past-window"])
        #expect(violations.map { $0["file"] as? String } == [recent, old, old])
        #expect(violations[0]["line"] as? Int == 1)
        let files = try #require(report?["files"] as? [[String: Any]])
        #expect(files.map { $0["policies"] as? [String: Int] } == [["music123-2003": 9], ["music123-2003": 9]])
        #expect(!json.stdout.contains("198.51.100"))

        let fixed = try CommandRunner.run(arguments + ["--fix"])
        #expect(fixed.status == 0, "\(fixed.stdout)\(fixed.stderr)")
        #expect(!FileManager.default.fileExists(atPath: old))
        let verified = try ArchiveVerifier.verify(recent)
        #expect(verified.lines == 9)
        let events = try AuditTrail.read(path: trail)
        // The rewrite made a key for 2025-10-20, a period music123 keeps keys one day past: it is shredded at once.
        #expect(events.map(\.action) == ["rewrite-log", "delete-log", "destroy-key"])
        #expect(events[2].file.hasSuffix("keys/music123-2003/2025-10-20.key"))
        #expect(events[0].sha256After == verified.sha256)
        // The rewritten log holds pseudonyms and placeholders only.
        let again = try CommandRunner.run(arguments)
        #expect(again.status == 0, "\(again.stdout)")
    }
}
