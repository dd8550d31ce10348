import Foundation
import Testing
import LogWard

/// A site-day's numbers hold over all its files and for each policy version of its lines (issue 16, items 1
/// and 4): a breakdown row counts distinct people over the day's files, and a day that spans a version change
/// is one site-day per version, labelled and exported by it.
@Suite struct SiteDayTests {
    static func line(_ visitor: Int, _ time: String, _ path: String, day: String = "12/Mar/2024") -> String {
        "192.0.2.\(visitor) - - [\(day):\(time) +0000] \"GET \(path) HTTP/1.1\" 200 10 \"-\" \"Mozilla/5.0 Firefox/120.0\"\n"
    }

    static func rules(_ directory: TemporaryDirectory, _ files: [String: String]) throws -> String {
        let folder = directory.path("rules")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        for (name, text) in files { _ = try directory.write("rules/\(name)", text) }
        return folder
    }

    /// A rules file hashing the client, for one site from `effective`.
    static func policy(_ id: String, site: String, effective: String, audience: String, k: Int = 10) -> String {
        """
        id: \(id)
        sites: [\(site)]
        effective: \(effective)
        audience: \(audience)
        k_anonymity: \(k)
        retention: { raw_days: 0, anonymized_days: 1, key_days: 1 }
        fields:
          client_address: { action: hash, quote: "test" }
        """
    }

    static let kTen = policy("ten-test", site: "ten.test", effective: "2000-01-01", audience: "external")

    /// The same 6 people on `/x` in two files of one day are 6 visitors of `/x`, not 12: under k = 10 the row
    /// folds into `(other)`, and the store's own view says 6.
    @Test func sixVisitorsInTwoFilesOfADayAreSixAndFoldUnderKTen() throws {
        let directory = try TemporaryDirectory()
        let rules = try Self.rules(directory, ["ten.yaml": Self.kTen])
        var morning = ""
        for visitor in 1...10 { morning += Self.line(visitor, "09:00:\(10 + visitor)", "/home") }
        for visitor in 1...6 { morning += Self.line(visitor, "09:30:\(10 + visitor)", "/x") }
        var evening = ""
        for visitor in 1...6 { evening += Self.line(visitor, "18:30:\(10 + visitor)", "/x") }
        let files = [try directory.write("a.log", morning), try directory.write("b.log", evening)]
        _ = try runStats(files, rules: rules, site: "ten.test", sinks: StatsSinks(sqlite: directory.path("s.sqlite")),
                         keys: directory.path("keys"))
        let store = try StatsStore(path: directory.path("s.sqlite"))
        let paths = try store.breakdown().rows("2024-03-12", .path)
        #expect(paths["/x"]?.hits == 12)
        #expect(paths["/x"]?.visitors == 6)
        #expect(paths["/home"]?.visitors == 10)
        #expect(try store.breakdown().rows("2024-03-12", .browser)["Firefox"]?.visitors == 10)
        #expect(try store.daily().map(\.visitors) == [10])
        let exported = try StatsExport(store: store).breakdown.rows("2024-03-12", .path)
        #expect(Set(exported.keys) == ["/home", "(other)"])
        #expect(exported["(other)"]?.hits == 12)

        // Stored again (a re-run), the counts stay exact; a third file with 4 new people on /x lifts it to 10.
        _ = try runStats(files, rules: rules, site: "ten.test", sinks: StatsSinks(sqlite: directory.path("s.sqlite")),
                         keys: directory.path("keys"))
        #expect(try store.breakdown().rows("2024-03-12", .path)["/x"]?.visitors == 6)
        var late = ""
        for visitor in 7...10 { late += Self.line(visitor, "22:00:\(10 + visitor)", "/x") }
        _ = try runStats([try directory.write("c.log", late)], rules: rules, site: "ten.test",
                         sinks: StatsSinks(sqlite: directory.path("s.sqlite")), keys: directory.path("keys"))
        #expect(try store.breakdown().rows("2024-03-12", .path)["/x"]?.visitors == 10)
        #expect(Set(try StatsExport(store: store).breakdown.rows("2024-03-12", .path).keys) == ["/home", "/x"])
    }

    /// Local day 2024-03-10 in -05:00 runs to 05:00 UTC on the 11th, when an external version replaces an internal
    /// one: its first line is the old version's, the next two the new one's. Each part is its own site-day.
    @Test func aLocalDayThatSpansAVersionChangeIsSplitByVersion() throws {
        let directory = try TemporaryDirectory()
        let rules = try Self.rules(directory, [
            "old.yaml": Self.policy("split-2000", site: "split.test", effective: "2000-01-01", audience: "internal"),
            "new.yaml": Self.policy("split-2024", site: "split.test", effective: "2024-03-11", audience: "external", k: 1),
        ])
        let log = try directory.write("access.log", Self.line(1, "23:00:00", "/a", day: "10/Mar/2024")
                                      + Self.line(2, "01:00:00", "/b", day: "11/Mar/2024")
                                      + Self.line(3, "02:00:00", "/b", day: "11/Mar/2024"))
        let sinks = StatsSinks(sqlite: directory.path("s.sqlite"), csvDirectory: directory.path("csv"))
        _ = try runStats([log], rules: rules, site: "split.test", timeZone: StatsTimeZone("-05:00")!, sinks: sinks,
                         keys: directory.path("keys"))
        let daily = try StatsStore(path: directory.path("s.sqlite")).daily()
        #expect(daily.map { "\($0.day) \($0.policy) \($0.audience.rawValue) \($0.requests) \($0.visitors)" }
                == ["2024-03-10 split-2000 internal 1 1", "2024-03-10 split-2024 external 2 2"])
        let external = try String(contentsOfFile: directory.path("csv/daily.csv"), encoding: .utf8)
        #expect(external.split(separator: "\n").dropFirst().map { String($0.prefix(41)) } == ["split.test,2024-03-10,split-2024,external"])
        let internalBreakdown = try String(contentsOfFile: directory.path("csv/breakdown.internal.csv"), encoding: .utf8)
        #expect(internalBreakdown.contains("split.test,2024-03-10,split-2000,internal,path,/a,1,10,1,,,,,\n"), "\(internalBreakdown)")
        #expect(!internalBreakdown.contains("/b"))
    }
}
