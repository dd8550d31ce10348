import Foundation
import Testing
import LogWard

/// `logward merge` (issue 18): stores of shards of a log, united in any order or grouping, answer every query as
/// one store of the whole log does: visitor sets are united, not their counts added.
@Suite struct StatsMergeTests {
    /// Three days of traffic, 12 clients on 6 paths, with the user agent varying by client.
    static func lines(count: Int, random: inout SeededRandom) -> [String] {
        (0..<count).map { index in
            let day = 10 + Int(random.next() % 3)
            let client = Int(random.next() % 12)
            let second = Int(random.next() % 86_400)
            let time = String(format: "%02d/Mar/2024:%02d:%02d:%02d +0000", day, second / 3600, second / 60 % 60, second % 60)
            let path = ["/", "/a", "/b", "/c.css", "/users/\(client)/x", "/search?q=\(index)"][Int(random.next() % 6)]
            let status = random.next() % 10 == 0 ? 404 : 200
            return "192.0.2.\(client + 1) - - [\(time)] \"GET \(path) HTTP/1.1\" \(status) \(index % 900) "
                + "\"https://ref\(client % 3).example/\" \"Mozilla/5.0 Agent/\(client % 4)\""
        }
    }

    static func store(_ files: [String], _ path: String, keys: String) throws -> StatsStore {
        _ = try runStats(files, site: "stats.test", sinks: StatsSinks(sqlite: path), keys: keys)
        return try StatsStore(path: path)
    }

    @Test(arguments: [UInt64(1), 2, 3])
    func mergedShardStoresEqualOneStoreOfTheWholeLog(seed: UInt64) throws {
        let directory = try TemporaryDirectory()
        var random = SeededRandom(seed: seed)
        let all = Self.lines(count: 600, random: &random)
        // Random shards: each line goes to one of 6 files, so one visitor's day is spread over several.
        var shards = [[String]](repeating: [], count: 6)
        for line in all { shards[Int(random.next() % 6)].append(line) }
        let files = try shards.enumerated().map { try directory.write("shard\($0.offset).log", $0.element.joined(separator: "\n") + "\n") }
        let keys = directory.path("keys")
        let whole = try Self.store(files, directory.path("whole.sqlite"), keys: keys)

        var partials: [String] = []
        for (index, file) in files.enumerated() {
            let path = directory.path("part\(index).sqlite")
            _ = try Self.store([file], path, keys: keys)
            partials.append(path)
        }
        // Grouped at random into two intermediate stores, then those two into the final one, in a random order.
        var groups: [[String]] = [[], []]
        for partial in partials { groups[Int(random.next() % 2)].append(partial) }
        var finals: [String] = []
        for (index, group) in groups.enumerated() where !group.isEmpty {
            let path = directory.path("group\(index).sqlite")
            let merged = try StatsStore(path: path)
            for partial in group.shuffled(using: &random) { try merged.merge(from: partial) }
            finals.append(path)
        }
        let united = try StatsStore(path: directory.path("united.sqlite"))
        for path in finals.shuffled(using: &random) { try united.merge(from: path) }

        #expect(try united.daily() == whole.daily())
        #expect(try united.breakdown() == whole.breakdown())
        #expect(try whole.daily().count == 3)
        // A shard merged again is skipped as a re-run is: nothing changes.
        let again = try united.merge(from: partials[0])
        #expect(again == StatsStore.MergeOutcome(merged: 0, skipped: 1))
        #expect(try united.daily() == whole.daily())
    }

    @Test func mergeOnTheCommandLineNeverWritesAnInput() throws {
        let directory = try TemporaryDirectory()
        var random = SeededRandom(seed: 9)
        let log = try directory.write("a.log", Self.lines(count: 50, random: &random).joined(separator: "\n") + "\n")
        _ = try Self.store([log], directory.path("a.sqlite"), keys: directory.path("keys"))
        let before = try Data(contentsOf: URL(fileURLWithPath: directory.path("a.sqlite")))
        let merged = try CommandRunner.run(["merge", "--sqlite", directory.path("out.sqlite"), directory.path("a.sqlite")])
        #expect(merged.status == 0, "\(merged.stderr)")
        #expect(merged.stdout == "logward merge: 1 file(s) merged, 0 already present, from 1 store(s) into \(directory.path("out.sqlite"))\n")
        #expect(try Data(contentsOf: URL(fileURLWithPath: directory.path("a.sqlite"))) == before)
        let refused = try CommandRunner.run(["merge", "--sqlite", directory.path("a.sqlite"), directory.path("a.sqlite")])
        #expect(refused.status == 2, "\(refused.stderr)")
        #expect(refused.stderr.contains("logward never writes over one of its inputs"), "\(refused.stderr)")
    }
}

