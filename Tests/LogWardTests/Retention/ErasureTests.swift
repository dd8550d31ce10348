import Foundation
import Testing
import LogWard

/// `logward erase` (issue 16, item 6): a 50-line person across 3 days leaves the raw files, the pseudonymized
/// files and the statistics, and every other byte is what the archive would hold had the person never come.
@Suite struct ErasureTests {
    static let person = "203.0.113.77"
    static let days = ["2026-11-19", "2026-11-20", "2026-11-21"]

    /// A day's lines: the synthetic site traffic with, when `withPerson`, the person's lines between them.
    static func lines(day: String, personLines: Int, withPerson: Bool) -> [String] {
        let others = SyntheticLogs.lines(day: day, count: 30, startHour: 9)
        guard withPerson else { return others }
        let date = day.split(separator: "-")
        let months = ["11": "Nov"]
        var result: [String] = []
        for (index, line) in others.enumerated() {
            result.append(line)
            guard index < personLines else { continue }
            let minute = String(format: "%02d", index)
            result.append("\(person) - ann [\(date[2])/\(months[String(date[1])]!)/\(date[0]):13:\(minute):00 +0000] "
                          + "\"GET /page/\(index % 4)?q=\(index) HTTP/1.1\" 200 \(500 + index) \"-\" \"Mozilla/5.0 (Person) Firefox/1.0\"")
        }
        return result
    }

    /// An archive of groups.im (hashed clients, raw kept) made from three nights of logs.
    static func makeArchive(_ directory: TemporaryDirectory, withPerson: Bool, keepRaw: Bool = true, keysFrom: String? = nil) throws -> String {
        for (index, day) in days.enumerated() {
            let bytes = try SyntheticLogs.gzip(lines(day: day, personLines: [17, 17, 16][index], withPerson: withPerson))
            try FileManager.default.createDirectory(atPath: directory.path("in"), withIntermediateDirectories: true)
            _ = try directory.write("in/access.log.\(3 - index).gz", bytes)
        }
        let config = try directory.write("logward.yaml", """
            rules: \(Fixtures.repositoryRoot.appendingPathComponent("rules").path)
            archive: archive
            keep_raw: \(keepRaw)
            inputs:
              - {paths: ["in/access.log.*.gz"], site: groups.im}
            """)
        if let keysFrom { try KillSafetyTests.copyKeys(from: keysFrom, to: directory.path("archive/keys")) }
        let run = try CommandRunner.run(["run", "--config", config, "--now", "2026-11-22"])
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        return config
    }

    /// Relative path (without the content-derived name) -> decompressed text of every archived file.
    static func contents(_ archive: String) throws -> [String: String] {
        let ledger = try Ledger(path: archive + "/ledger.sqlite")
        var result: [String: String] = [:]
        for file in try ledger.files() {
            let text = try decompressed(archive + "/" + file.path)
            result["\(file.kind.rawValue) \(file.newestEpoch.map { Timestamp.day($0) } ?? "")"] = text
        }
        return result
    }

    static func decompressed(_ path: String) throws -> String {
        var handler = LineCollector()
        _ = LogScanner.scan(path: path, options: ScanOptions(format: try LogFormat("%r"), readAhead: false), handler: &handler)
        return handler.text
    }

    @Test func aPersonsFiftyLinesAcrossThreeDaysLeaveRawPseudonymizedAndStatistics() throws {
        let reference = try TemporaryDirectory()
        _ = try Self.makeArchive(reference, withPerson: false)
        let directory = try TemporaryDirectory()
        let config = try Self.makeArchive(directory, withPerson: true, keysFrom: reference.path("archive/keys"))
        let archive = directory.path("archive")
        let before = try Self.contents(archive)
        #expect(before.count == 6)
        #expect(before.values.reduce(0) { $0 + $1.split(separator: "\n").count } == 2 * (90 + 50))

        // A dry run names what would go and changes nothing.
        let dry = try CommandRunner.run(["erase", "--config", config, "--site", "groups.im", "--client", Self.person])
        #expect(dry.status == 0, "\(dry.stderr)")
        #expect(dry.stdout.hasPrefix("logward erase (dry run, nothing changed; --apply carries it out): would remove 100 line(s) from 6 of 6 file(s)"), "\(dry.stdout)")
        #expect(try Self.contents(archive) == before)

        let erase = try CommandRunner.run(["erase", "--config", config, "--site", "groups.im", "--client", Self.person, "--apply"])
        #expect(erase.status == 0, "\(erase.stdout)\(erase.stderr)")
        #expect(erase.stdout.hasPrefix("logward erase: removed 100 line(s) from 6 of 6 file(s)"), "\(erase.stdout)")
        #expect(!erase.stdout.contains(Self.person) && !erase.stderr.contains(Self.person))
        // Raw and pseudonymized files are what a run without the person makes, byte for byte once decompressed.
        #expect(try Self.contents(archive) == (try Self.contents(reference.path("archive"))))
        // Statistics too: the raw copies were recounted.
        let erased = try StatsStore(path: archive + "/stats.sqlite")
        let expected = try StatsStore(path: reference.path("archive/stats.sqlite"))
        #expect(try erased.daily() == expected.daily())
        #expect(try erased.breakdown() == expected.breakdown())
        // The ledger matches the new bytes: an audit finds nothing tampered.
        let audit = try CommandRunner.run(["audit", "--config", config, "--now", "2026-11-22"])
        #expect(!audit.stdout.contains("tampered"), "\(audit.stdout)")
        // The trail has the request as a digest, and one entry per rewritten file; never the address.
        let trail = try String(contentsOfFile: archive + "/audit.jsonl", encoding: .utf8)
        #expect(!trail.contains(Self.person) && !trail.contains("ann"))
        let events = try AuditTrail.read(path: archive + "/audit.jsonl")
        #expect(events.filter { $0.action == "erase" }.count == 6)
        #expect(events.last?.action == "erase-request")
        #expect(events.last?.reason.contains("100 line(s) removed from 6 file(s)") == true)
        // A second request finds nothing more.
        let again = try CommandRunner.run(["erase", "--config", config, "--site", "groups.im", "--client", Self.person, "--apply"])
        #expect(again.stdout.hasPrefix("logward erase: removed 0 line(s) from 0 of 6 file(s)"), "\(again.stdout)")
    }

    /// Without raw copies, the pseudonymized lines are found through the person's pseudonym, and their visitor
    /// codes leave the statistics; after the keys are destroyed nothing can be linked, and the report says so.
    @Test func pseudonymizedLinesAreFoundThroughTheKeyWhileItExists() throws {
        let reference = try TemporaryDirectory()
        _ = try Self.makeArchive(reference, withPerson: false, keepRaw: false)
        let directory = try TemporaryDirectory()
        let config = try Self.makeArchive(directory, withPerson: true, keepRaw: false, keysFrom: reference.path("archive/keys"))
        let archive = directory.path("archive")
        let statsBefore = try StatsStore(path: archive + "/stats.sqlite").daily()
        #expect(statsBefore.map(\.visitors) == [6, 6, 6])

        // The remote user under groups.im is hashed: found through its pseudonym; only the first day asked for.
        let byUser = try CommandRunner.run(["erase", "--config", config, "--site", "groups.im", "--user", "ann",
                                            "--from", "2026-11-19", "--to", "2026-11-19", "--apply"])
        #expect(byUser.stdout.hasPrefix("logward erase: removed 17 line(s) from 1 of 1 file(s)"), "\(byUser.stdout)")
        #expect(byUser.stdout.contains("no raw copy and no --client"), "\(byUser.stdout)")

        let byClient = try CommandRunner.run(["erase", "--config", config, "--site", "groups.im", "--client", Self.person, "--apply"])
        #expect(byClient.stdout.hasPrefix("logward erase: removed 33 line(s) from 2 of 3 file(s)"), "\(byClient.stdout)")
        #expect(try Self.contents(archive) == (try Self.contents(reference.path("archive"))))
        // The person's visitor codes are gone from the two days the client erasure reached.
        #expect(try StatsStore(path: archive + "/stats.sqlite").daily().map(\.visitors) == [6, 5, 5])

        // Once a day's key is destroyed, its lines cannot be linked to anyone.
        for period in ["2026-11-19", "2026-11-20", "2026-11-21"] {
            try KeyStore(directory: archive + "/keys").destroy(policy: "groupsim-2009", period: period)
        }
        let late = try CommandRunner.run(["erase", "--config", config, "--site", "groups.im", "--user", "someone"])
        #expect(late.stdout.contains("are destroyed: its pseudonyms can no longer be linked to anyone"), "\(late.stdout)")
    }

    /// In a file of several sites, a line that does not parse has no site to read: when it names the person it
    /// goes, never kept on a guess (the parsed lines of another site that do not name them stay).
    @Test func aLineThatDoesNotParseInAMultiSiteFileGoesWhenItNamesThePerson() throws {
        let directory = try TemporaryDirectory()
        var lines = Self.lines(day: "2026-11-21", personLines: 5, withPerson: true).map { "groups.im:443 " + $0 }
        lines += SyntheticLogs.lines(day: "2026-11-21", count: 30, startHour: 9).map { "www.123together.com:443 " + $0 }
        lines.insert("garbled \(Self.person) \u{1}\u{2} not a record", at: 20)
        try FileManager.default.createDirectory(atPath: directory.path("in"), withIntermediateDirectories: true)
        _ = try directory.write("in/access.log.1.gz", try SyntheticLogs.gzip(lines))
        let config = try directory.write("logward.yaml", """
            rules: \(Fixtures.repositoryRoot.appendingPathComponent("rules").path)
            archive: archive
            keep_raw: true
            inputs:
              - {paths: ["in/access.log.*.gz"], format: vhost_combined}
            """)
        let run = try CommandRunner.run(["run", "--config", config, "--now", "2026-11-22"])
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        let erase = try CommandRunner.run(["erase", "--config", config, "--site", "groups.im", "--client", Self.person, "--apply"])
        #expect(erase.status == 0, "\(erase.stderr)")
        let raw = try #require(try Ledger(path: directory.path("archive/ledger.sqlite")).files().first { $0.kind == .raw })
        let text = try Self.decompressed(directory.path("archive/" + raw.path))
        #expect(!text.contains(Self.person))
        #expect(text.split(separator: "\n").count == lines.count - 6, "\(erase.stdout)")
    }

    @Test(arguments: [
        (["erase", "--archive", "/tmp", "--site", "a.test"], "name the person by exactly one of --client, --user, --email"),
        (["erase", "--archive", "/tmp", "--site", "a.test", "--client", "192.0.2.1", "--user", "x"], "exactly one of"),
        (["erase", "--archive", "/tmp", "--site", "a.test", "--user", "x", "--from", "last week"], "--from: 'last week' is not YYYY-MM-DD"),
        (["erase", "--site", "a.test", "--user", "x"], "name the archive: --archive DIR or --config FILE"),
    ])
    func badRequestsExitTwo(arguments: [String], message: String) throws {
        let result = try CommandRunner.run(arguments)
        #expect(result.status == 2, "\(result.stderr)")
        #expect(result.stderr.contains(message), "\(result.stderr)")
    }
}

/// Every line's bytes, joined by newlines, parsed or not.
struct LineCollector: LineHandler {
    var text = ""

    mutating func handle(_ record: LogRecord, line: Span<UInt8>, at position: LinePosition) {
        text += String(decoding: line, as: UTF8.self) + "\n"
    }

    mutating func reject(_ reason: RejectReason, line: Span<UInt8>?, at position: LinePosition) {
        if let line { text += String(decoding: line, as: UTF8.self) }
        text += "\n"
    }
}
