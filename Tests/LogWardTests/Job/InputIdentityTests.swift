import Foundation
import Testing
import LogWard

/// A file is identified by the site it is read as and by its content: the same bytes logged for two sites are
/// two inputs, each archived and counted under its own policy; the same file read twice is one.
@Suite struct InputIdentityTests {
    @Test func aByteIdenticalLogOfAnotherSiteIsProcessedUnderItsOwnPolicy() throws {
        let directory = try TemporaryDirectory()
        try SyntheticLogs.write(directory.path("in/music123.com/access.log.1.gz"), day: "2026-11-21", count: 40)
        try FileManager.default.createDirectory(atPath: directory.path("in/groups.im"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: directory.path("in/music123.com/access.log.1.gz"),
                                         toPath: directory.path("in/groups.im/access.log.1.gz"))
        var text = "rules: \(Fixtures.repositoryRoot.appendingPathComponent("rules").path)\narchive: archive\ninputs:\n"
        for site in ["music123.com", "groups.im"] { text += "  - {paths: [\"in/\(site)/access.log.*.gz\"], site: \(site)}\n" }
        let config = try directory.write("logward.yaml", text)

        let first = try CommandRunner.run(["run", "--config", config, "--now", KillSafetyTests.now])
        #expect(first.status == 0, "\(first.stdout)\(first.stderr)")
        #expect(first.stdout.hasPrefix("logward run: 2 file(s) processed, 0 already done"), "\(first.stdout)")
        let ledger = try Ledger(path: directory.path("archive/ledger.sqlite"))
        #expect(try ledger.inputs().map(\.scope) == ["groups.im", "music123.com"])
        let anonymized = try ledger.files().filter { $0.kind == .anonymized }
        #expect(anonymized.map(\.policies) == [["groupsim-2009"], ["music123-2003"]])
        #expect(anonymized.map { String($0.path.prefix(14)) } == ["anon/groups.im", "anon/music123."])
        // Each under its own policy: the two archived files differ.
        #expect(anonymized[0].sha256 != anonymized[1].sha256)
        let store = try StatsStore(path: directory.path("archive/stats.sqlite"))
        #expect(try store.daily().map { "\($0.site) \($0.requests)" } == ["groups.im 40", "music123.com 40"])

        let second = try CommandRunner.run(["run", "--config", config, "--now", KillSafetyTests.now])
        #expect(second.stdout.hasPrefix("logward run: 0 file(s) processed, 2 already done"), "\(second.stdout)")
        #expect(try store.daily().map(\.requests) == [40, 40])
    }

    @Test func statisticsOfOneFileReadAsTwoSitesAreKeptApartAndNotDoubledOnARerun() throws {
        let directory = try TemporaryDirectory()
        let log = directory.path("access.log.gz")
        try SyntheticLogs.write(log, day: "2026-11-21", count: 25)
        let sqlite = directory.path("stats.sqlite")
        for site in ["music123.com", "groups.im", "music123.com"] {
            _ = try runStats([log], rules: Fixtures.repositoryRoot.appendingPathComponent("rules").path, site: site,
                             sinks: StatsSinks(sqlite: sqlite), keys: directory.path("keys"))
        }
        #expect(try StatsStore(path: sqlite).daily().map { "\($0.site) \($0.requests)" } == ["groups.im 25", "music123.com 25"])
    }
}
