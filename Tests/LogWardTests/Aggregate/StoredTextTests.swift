import Foundation
import Testing
@testable import LogWard

/// Keys read from log bytes as the statistics store them: a NUL became the end of the text in SQLite, so two keys
/// (two hosts, two referrers) that differ after it were one row there and two in memory, and the store's unique
/// index failed the file's whole statistics (found by the anonymizer fuzz target).
@Suite struct StoredTextTests {
    @Test(arguments: [
        ([UInt8]("a.example".utf8), "a.example"),
        ([0x61, 0x00, 0x62], "a\u{FFFD}b"),
        ([0x09, 0x00, 0x00, 0x31], "\t\u{FFFD}\u{FFFD}1"),
        ([0x61, 0xFF, 0x00], "a\u{FFFD}\u{FFFD}"),
        ([0x65, 0xCC, 0x81, 0x00], "e\u{0301}\u{FFFD}"),
    ])
    func aNulIsReadAsTheReplacementCharacter(bytes: [UInt8], expected: String) {
        let text = String(storedText: bytes)
        #expect(Array(text.unicodeScalars) == Array(expected.unicodeScalars))
        #expect(!text.utf8.contains(0))
    }

    @Test(arguments: [1, 2])
    func hostsAndReferrersThatDifferAfterANulAreStoredApart(workers: Int) throws {
        let directory = try TemporaryDirectory()
        func line(_ host: String, _ client: Int, _ day: String, _ referrer: String) -> String {
            "\(host) 198.51.100.\(client) - - [\(day):10:00:00 +0000] \"GET /p HTTP/1.1\" 200 5 \"\(referrer)\" \"Mozilla/5.0\""
        }
        // A NUL in a virtual host, whose day is set aside when a later day begins and reopened by the line after.
        let lines = [
            line("a\u{0}x.example", 1, "29/Dec/2007", "http://r\u{0}x.example/"),
            line("b.example", 2, "15/Mar/2010", "http://r\u{0}y.example/"),
            line("a\u{0}x.example", 3, "29/Dec/2007", "http://r\u{0}y.example/"),
            line("a\u{0}y.example", 4, "29/Dec/2007", "-"),
        ]
        let log = try directory.write("nul.log", lines.joined(separator: "\n") + "\n")
        let set = try RulesLoader.load(directory: Fixtures.path("rules-stats"))
        var runner = PassRunner(scan: ScanOptions(format: try LogFormat(#"%v %h %l %u %t "%r" %>s %b "%{Referer}i" "%{User-Agent}i""#)),
                                choice: try PolicyChoice(set: set), pool: PseudonymizerPool(keys: try KeyStore(directory: directory.path("keys"))))
        runner.statsSinks = StatsSinks(sqlite: directory.path("stats.sqlite"))
        runner.workers = workers
        _ = try runner.run(files: [log], output: workers > 1 ? try LogOutput(path: "/dev/null") : nil)
        let store = try StatsStore(path: directory.path("stats.sqlite"))
        let daily = try store.daily().map { "\($0.site) \($0.day) \($0.requests)" }.sorted()
        #expect(daily == ["a\u{FFFD}x.example 2007-12-29 2", "a\u{FFFD}y.example 2007-12-29 1", "b.example 2010-03-15 1"])
        let referrers = try store.breakdown().filter { $0.dimension == "referrer_domain" }.map { "\($0.site) \($0.key) \($0.hits)" }.sorted()
        #expect(referrers == ["a\u{FFFD}x.example r\u{FFFD}x.example 1", "a\u{FFFD}x.example r\u{FFFD}y.example 1",
                              "b.example r\u{FFFD}y.example 1"])
    }
}
