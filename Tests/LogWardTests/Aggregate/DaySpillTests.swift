import Foundation
import Testing
import LogWard

/// Days a pass has moved past are set aside on disk (issue 19: statistics in bounded memory), and the numbers
/// stay exact: a 5-day file gives what five 1-day files give, and a line that comes back to a day already set
/// aside is merged into it, with one and with several workers.
@Suite struct DaySpillTests {
    static func day(_ day: Int, count: Int, offset: Int = 0) -> [String] {
        (0..<count).map { index in
            let second = (index * 997 + offset * 13) % 86_400
            let time = String(format: "%02d/Mar/2024:%02d:%02d:%02d +0000", day, second / 3600, second / 60 % 60, second % 60)
            return "192.0.2.\(index % 40 + 1) - - [\(time)] \"GET /p/\(index % 23) HTTP/1.1\" \(index % 9 == 0 ? 404 : 200) \(index) "
                + "\"https://r\(index % 5).example/\" \"Mozilla/5.0 Agent/\(index % 3)\""
        }.sorted { $0.split(separator: "[")[1] < $1.split(separator: "[")[1] }
    }

    static func stats(_ files: [String], workers: Int, _ path: String, keys: String) throws -> StatsStore {
        let set = try RulesLoader.load(directory: Fixtures.path("rules-stats"))
        var runner = PassRunner(scan: ScanOptions(), choice: try PolicyChoice(set: set, site: "internal.test"),
                                pool: PseudonymizerPool(keys: try KeyStore(directory: keys)))
        runner.statsSinks = StatsSinks(sqlite: path)
        runner.workers = workers
        _ = try runner.run(files: files, output: workers > 1 ? try LogOutput(path: "/dev/null") : nil)
        return try StatsStore(path: path)
    }

    @Test(arguments: [1, 2])
    func aFiveDayFileCountsAsItsFiveDaysDo(workers: Int) throws {
        let directory = try TemporaryDirectory()
        var whole: [String] = []
        var singles: [String] = []
        for day in 10...14 {
            let lines = Self.day(day, count: 300)
            whole += lines
            singles.append(try directory.write("day\(day).log", lines.joined(separator: "\n") + "\n"))
        }
        // A line of the 10th after the 14th began: the 10th, set aside by then, is reopened and merged; its
        // client is new, so no visit straddles the parts.
        let late = "192.0.2.200 - - [10/Mar/2024:12:00:00 +0000] \"GET /late HTTP/1.1\" 200 5 \"-\" \"Mozilla/5.0 Agent/9\""
        let file = try directory.write("five.log", (whole + [late]).joined(separator: "\n") + "\n")
        try "\(late)\n".write(toFile: directory.path("late.log"), atomically: true, encoding: .utf8)
        let keys = directory.path("keys")
        let spilled = try Self.stats([file], workers: workers, directory.path("five.sqlite"), keys: keys)
        let separate = try Self.stats(singles + [directory.path("late.log")], workers: workers, directory.path("singles.sqlite"), keys: keys)
        #expect(try spilled.daily().map(\.day) == ["2024-03-10", "2024-03-11", "2024-03-12", "2024-03-13", "2024-03-14"])
        #expect(try spilled.daily().first?.requests == 301)
        #expect(try spilled.daily() == separate.daily())
        #expect(try spilled.breakdown() == separate.breakdown())
        // The days were set aside as the input moved on: at the end of five in-order days, two are still open.
        let set = try RulesLoader.load(directory: Fixtures.path("rules-stats"))
        let store = try StatsStore(path: directory.path("held.sqlite"))
        var collector = StatsCollector(policies: set.policies, pool: PseudonymizerPool(keys: try KeyStore(directory: keys)), spill: store)
        let parser = RecordParser(format: .combined)
        var record = parser.makeRecord()
        let policyIndex = try #require(set.policies.firstIndex { $0.id == "stats-internal" })
        for line in whole {
            try Array(line.utf8).withSpan { bytes in
                #expect(parser.parse(bytes, into: &record) == nil)
                try collector.add(record, line: bytes, policyIndex: policyIndex, epoch: record.timestamp!.epochSeconds, site: "internal.test")
            }
        }
        #expect(collector.openDayCount == 2)
        // Nothing staged is left for the next file of a run.
        let five = try StatsStore(path: directory.path("five.sqlite"))
        try five.discardStaged()
        #expect(try five.daily() == separate.daily())
    }
}
