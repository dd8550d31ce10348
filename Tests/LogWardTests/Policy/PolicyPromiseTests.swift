import Foundation
import Testing
import LogWard

/// Promises a policy makes about itself and about the files logward writes (issue 16: notice of change, modes).
@Suite struct PolicyPromiseTests {
    /// The shipped rules plus a next version of 123together announced on `announced`, effective 2009-03-02.
    static func rulesWithNextVersion(announced: String?) throws -> (TemporaryDirectory, String) {
        let directory = try TemporaryDirectory()
        let rules = directory.path("rules")
        try FileManager.default.createDirectory(atPath: rules, withIntermediateDirectories: true)
        for name in try FileManager.default.contentsOfDirectory(atPath: Rules.directory) where name.hasSuffix(".yaml") {
            try FileManager.default.copyItem(atPath: Rules.directory + "/" + name, toPath: rules + "/" + name)
        }
        var text = try String(contentsOfFile: Rules.directory + "/123together-2007.yaml", encoding: .utf8)
        text = text.replacingOccurrences(of: "id: 123together-2007", with: "id: 123together-2009")
            .replacingOccurrences(of: "effective: 2007-12-29", with: "effective: 2009-03-02" + (announced.map { "\nannounced: \($0)" } ?? ""))
        try text.write(toFile: rules + "/123together-2009.yaml", atomically: true, encoding: .utf8)
        return (directory, rules)
    }

    /// 123together 2007 promises thirty business days of notice: announced 2009-01-16, thirty business days lie
    /// before 2009-03-02; announced 2009-01-19, twenty-nine. The refusal quotes the promise.
    @Test func aVersionAnnouncedTooLateIsRefusedQuotingThePromise() throws {
        let (keepOn, inTime) = try Self.rulesWithNextVersion(announced: "2009-01-16")
        let set = try RulesLoader.load(directory: inTime)
        #expect(set.policy(id: "123together-2009")?.announcedDate == "2009-01-16")
        #expect(PolicyListing.table(set).contains("123together-2009   2009-01-16  2009-03-02"))
        _ = keepOn

        let (keepOnToo, late) = try Self.rulesWithNextVersion(announced: "2009-01-19")
        _ = keepOnToo
        let error = try #require(throws: RulesError.self) { try RulesLoader.load(directory: late) }
        #expect(error.description.contains("123together-2009 takes effect 2009-03-02, announced 2009-01-19"))
        #expect(error.description.contains("30 business day(s) of notice 123together-2007 promises"))
        #expect(error.description.contains("thirty (30) business days prior"))

        let (keepOnThree, unsaid) = try Self.rulesWithNextVersion(announced: nil)
        _ = keepOnThree
        let missing = try #require(throws: RulesError.self) { try RulesLoader.load(directory: unsaid) }
        #expect(missing.description.contains("must say when it was announced"))
    }

    @Test func calendarAndBusinessDaysOfNotice() {
        let monday = RulesLoader.parseDay("2009-03-02")!
        #expect(Policy.Notice.days(1).isKept(announced: monday - 2, effective: monday))
        #expect(!Policy.Notice.days(1).isKept(announced: monday - 1, effective: monday))
        // From a Friday to the Monday after: no business day between.
        #expect(!Policy.Notice.businessDays(1).isKept(announced: monday - 3, effective: monday))
        #expect(Policy.Notice.businessDays(1).isKept(announced: monday - 4, effective: monday))
    }

    /// The statistics database and the ledger hold visitor pseudonyms and the archive's records; exports are for
    /// a dashboard's group to be granted: all are created 0600, whatever the umask.
    @Test func statisticsLedgerAndExportsAreCreatedPrivate() throws {
        let directory = try TemporaryDirectory()
        let previous = umask(0o022)
        defer { umask(previous) }
        let store = try StatsStore(path: directory.path("stats.sqlite"))
        _ = store
        _ = try Ledger(path: directory.path("ledger.sqlite"))
        let sinks = StatsSinks(sqlite: directory.path("stats.sqlite"), csvDirectory: directory.path("csv"),
                               json: directory.path("stats.json"), prometheus: directory.path("stats.prom"))
        try sinks.export(from: store)
        for path in ["stats.sqlite", "ledger.sqlite", "stats.json", "stats.prom", "csv/daily.csv"] {
            let mode = try FileManager.default.attributesOfItem(atPath: directory.path(path))[.posixPermissions] as? Int
            #expect(mode == 0o600, "\(path): \(String(mode ?? 0, radix: 8))")
        }
    }
}
