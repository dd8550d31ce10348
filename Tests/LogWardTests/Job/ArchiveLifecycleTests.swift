import Foundation
import Testing
import LogWard

/// Three years of nightly runs over all five policy versions, then retention and audit, on an archive the
/// test generates: exactly the expected files, keys and audit-trail actions remain.
@Suite struct ArchiveLifecycleTests {
    /// One rotated file: site, the day of its lines, line count, first hour.
    struct Night {
        var site: String
        var day: String
        var lines: Int
        var startHour = 8
    }

    static let nights = [
        // 123together.com across its policy change at 2007-12-29 00:00 UTC: both versions in one file.
        Night(site: "123together.com", day: "2007-12-28", lines: 20, startHour: 22),
        Night(site: "zoomgroups.com", day: "2008-06-20", lines: 12),
        Night(site: "groups.im", day: "2009-12-05", lines: 12),
        // Not the same bytes as the groups.im file of the same day: content identifies a file.
        Night(site: "music123.com", day: "2009-12-05", lines: 13),
        Night(site: "groups.im", day: "2010-11-30", lines: 12),
        Night(site: "music123.com", day: "2010-12-01", lines: 12),
    ]

    static func config(_ directory: TemporaryDirectory) throws -> String {
        let rules = Fixtures.repositoryRoot.appendingPathComponent("rules").path
        var text = "rules: \(rules)\narchive: archive\nkeep_raw: true\nthreads: 1\ninputs:\n"
        for site in ["123together.com", "zoomgroups.com", "groups.im", "music123.com"] {
            text += "  - {paths: [\"in/\(site)/access.log.*.gz\"], site: \(site), format: combined}\n"
        }
        return try directory.write("logward.yaml", text)
    }

    static func epoch(_ day: String, hour: Int64 = 3) -> Int64 { RulesLoader.parseDay(day)! * 86_400 + hour * 3600 }

    /// Runs every night up to and including `last`, each the morning after its file's day.
    static func runNights(_ directory: TemporaryDirectory, through last: Int = nights.count - 1) throws -> [RunReport] {
        let config = try RunConfig.load(path: try config(directory))
        var reports: [RunReport] = []
        for (index, night) in nights.enumerated() where index <= last {
            try SyntheticLogs.write(directory.path("in/\(night.site)/access.log.\(night.day).gz"), day: night.day,
                                    count: night.lines, startHour: night.startHour)
            let morning = RulesLoader.parseDay(night.day)! + 2  // the 28th 22:00 file spans into the 29th
            reports.append(try NightlyRun(config: config, now: morning * 86_400 + 3 * 3600).run())
        }
        return reports
    }

    static func files(in directory: String) -> [String] {
        guard let enumerator = FileManager.default.enumerator(atPath: directory) else { return [] }
        return enumerator.compactMap { $0 as? String }.filter { path in
            var isDirectory: ObjCBool = false
            FileManager.default.fileExists(atPath: directory + "/" + path, isDirectory: &isDirectory)
            return !isDirectory.boolValue
        }.sorted()
    }

    @Test func threeYearsOfNightsLeaveExactlyTheFilesKeysAndTrailTheWindowsAllow() throws {
        let directory = try TemporaryDirectory()
        let reports = try Self.runNights(directory)
        #expect(reports.allSatisfy { $0.exitStatus == 0 }, "\(reports.map(\.text))")
        // Every night processes its one new file; files of earlier nights are recognized by content.
        #expect(reports.map { $0.inputs.filter { $0.status == .processed }.count } == [1, 1, 1, 1, 1, 1])
        #expect(reports.last!.inputs.filter { $0.status == .alreadyProcessed }.count == 5)
        // The 123together file has lines under both versions.
        #expect(reports[0].inputs[0].policies == ["123together-2003": 18, "123together-2007": 2])

        let archive = directory.path("archive")
        let names = Self.files(in: archive).filter { $0.hasPrefix("raw/") || $0.hasPrefix("anon/") }
        let sha = { (site: String, day: String) -> String in
            let path = directory.path("in/\(site)/access.log.\(day).gz")
            return "access.log.\(day).\(try! FileDigest.sha256(of: path).prefix(12)).log.gz"
        }
        // 2007 and 2008 data is past every window; music123 never keeps raw; groups.im keeps raw 90 days.
        #expect(names == [
            "anon/groups.im/2009/12/05/\(sha("groups.im", "2009-12-05"))",
            "anon/groups.im/2010/11/30/\(sha("groups.im", "2010-11-30"))",
            "anon/music123.com/2009/12/05/\(sha("music123.com", "2009-12-05"))",
            "anon/music123.com/2010/12/01/\(sha("music123.com", "2010-12-01"))",
            "raw/groups.im/2010/11/30/\(sha("groups.im", "2010-11-30"))",
        ])
        // Keys left: only those whose window (period + key_days) is still open on 2010-12-03 03:00: music123's
        // 2010-12-01 key lived its one key day; groups.im keeps 90.
        let keys = Self.files(in: archive + "/keys")
        #expect(keys == ["groupsim-2009/2010-11-30.key"])

        let events = try AuditTrail.read(path: archive + "/audit.jsonl")
        let counts = Dictionary(grouping: events, by: \.action).mapValues(\.count)
        #expect(counts == ["write-anonymized": 6, "copy-raw": 4, "delete-raw": 3, "delete-anonymized": 2, "destroy-key": 6])
        let destroyed = events.filter { $0.action == "destroy-key" }.map(\.file).sorted()
        #expect(destroyed == ["keys/123together-2003/2007-12-28.key", "keys/123together-2007/2007-12-29.key",
                              "keys/groupsim-2009/2009-12-05.key", "keys/music123-2003/2009-12-05.key",
                              "keys/music123-2003/2010-12-01.key", "keys/zoomgroups-2008/2008-06-20.key"])
        // Every write and deletion names the file's SHA-256.
        #expect(events.filter { $0.action.hasPrefix("delete") }.allSatisfy { $0.sha256Before?.count == 64 })
        #expect(events.filter { $0.action == "write-anonymized" || $0.action == "copy-raw" }.allSatisfy { $0.sha256After?.count == 64 })
        // Raw data is the owner's alone.
        #expect(try FileManager.default.attributesOfItem(atPath: archive + "/raw")[.posixPermissions] as? Int == 0o700)

        // The compliance run finds nothing; a retention run right after has nothing to do.
        let policies = try RulesLoader.load(directory: Fixtures.repositoryRoot.appendingPathComponent("rules").path)
        let auditor = Auditor(policies: policies, format: .combined, now: Self.epoch("2010-12-03"))
        let (report, _) = try auditor.audit(paths: [archive])
        #expect(report.violations == [], "\(report.text)")
        #expect(report.files.count == 5)
        let ledger = try Ledger(path: archive + "/ledger.sqlite")
        let plan = RetentionPlanner(archive: Archive(root: archive), policies: policies, keys: try KeyStore(directory: archive + "/keys"),
                                    now: Self.epoch("2010-12-03")).plan(files: try ledger.files())
        #expect(plan == [])
    }

    @Test func aPlantedRawAddressTwoYearsOldIsReportedByFileAndLineNeverByValue() throws {
        let directory = try TemporaryDirectory()
        _ = try Self.runNights(directory)
        let archive = directory.path("archive")
        // An anonymized-looking file someone dropped into the archive, with one raw address on line 2.
        var lines = SyntheticLogs.lines(day: "2009-12-05", count: 3).map {
            $0.replacingOccurrences(of: "198.51.100.", with: "h:00000000000000").replacingOccurrences(of: "/users/", with: "/p/")
                .replacingOccurrences(of: "uid=", with: "sort=")
        }
        lines[0] = lines[0].replacingOccurrences(of: "h:0000000000000010", with: "h:0000000000000a10")
        lines[1] = lines[1].replacingOccurrences(of: "h:0000000000000011", with: "203.0.113.77")
        lines[2] = lines[2].replacingOccurrences(of: "h:0000000000000012", with: "h:0000000000000b12")
        let planted = "anon/groups.im/2009/12/05/planted.log.gz"
        try Data(try SyntheticLogs.gzip(lines)).write(to: URL(fileURLWithPath: archive + "/" + planted))

        let result = try CommandRunner.run(["audit", "--rules", Fixtures.repositoryRoot.appendingPathComponent("rules").path,
                                            "--now", "2011-12-01", archive])
        #expect(result.status == 1)
        #expect(result.stdout.contains("VIOLATION identifiers-in-anonymized: \(planted):2: anonymized file holds identifiers its policy removes: client-address on 1 line(s) (first: 2)"), "\(result.stdout)")
        #expect(result.stdout.contains("VIOLATION unknown-to-ledger: \(planted)"))
        #expect(!result.stdout.contains("203.0.113.77") && !result.stderr.contains("203.0.113.77"))
        #expect(!result.stdout.contains("198.51.100"))

        // --fix --dry-run lists the steps and changes nothing; --fix carries them out and the archive is clean.
        let before = Self.files(in: archive)
        let dry = try CommandRunner.run(["audit", "--rules", Fixtures.repositoryRoot.appendingPathComponent("rules").path,
                                         "--now", "2011-12-01", "--fix", "--dry-run", archive])
        #expect(dry.stdout.contains("adopt \(planted)"), "\(dry.stdout)")
        #expect(dry.stdout.contains("reanonymize \(planted)"))
        #expect(Self.files(in: archive) == before)
        let fixed = try CommandRunner.run(["audit", "--rules", Fixtures.repositoryRoot.appendingPathComponent("rules").path,
                                           "--now", "2011-12-01", "--fix", archive])
        #expect(fixed.status == 0, "\(fixed.stdout)\(fixed.stderr)")
        #expect(fixed.stdout.contains("after the fix: no violations"))
        // Anonymized again in place: the address became a pseudonym, the lines that were clean stayed as they were.
        let source = try LogSource.open(archive + "/" + planted)
        var decoded: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while case let count = try buffer.withUnsafeMutableBytes({ try source.fill($0) }), count > 0 { decoded += buffer[..<count] }
        let fixedLines = String(decoding: decoded, as: UTF8.self).split(separator: "\n").map(String.init)
        #expect(fixedLines.count == 3)
        #expect(fixedLines[0] == lines[0] && fixedLines[2] == lines[2])
        #expect(fixedLines[1].hasPrefix("h:") && !fixedLines[1].contains("203.0.113.77"))
    }

    @Test func aDryRunPlanIsExactlyWhatTheRealRetentionThenDoes() throws {
        let directory = try TemporaryDirectory()
        _ = try Self.runNights(directory, through: 4)
        let archive = directory.path("archive")
        let rules = Fixtures.repositoryRoot.appendingPathComponent("rules").path
        let arguments = ["retain", "--archive", archive, "--rules", rules, "--now", "2012-06-01", "--json"]
        let before = Self.files(in: archive)
        let dry = try CommandRunner.run(arguments + ["--dry-run"])
        #expect(dry.status == 0, "\(dry.stderr)")
        #expect(Self.files(in: archive) == before)
        let real = try CommandRunner.run(arguments)
        #expect(real.status == 0, "\(real.stderr)")
        let decoder = JSONDecoder()
        let planned = try decoder.decode([RetentionAction].self, from: Data(dry.stdout.utf8))
        let done = try decoder.decode([RetentionAction].self, from: Data(real.stdout.utf8))
        #expect(planned == done)
        #expect(planned.map(\.kind.rawValue).sorted() == ["delete-anonymized", "delete-anonymized", "delete-raw", "destroy-key"].sorted(),
                "\(planned.map(\.line))")
        // Nothing is left for a second run.
        let again = try CommandRunner.run(arguments + ["--dry-run"])
        #expect(try decoder.decode([RetentionAction].self, from: Data(again.stdout.utf8)) == [])
    }

    @Test func aRawFileWithoutAnAnonymizedCopyIsRewrittenVerifiedThenDeleted() throws {
        let directory = try TemporaryDirectory()
        _ = try Self.runNights(directory, through: 4)
        let archive = Archive(root: directory.path("archive"))
        let ledger = try Ledger(path: archive.ledgerPath)
        // Remove the 2010-11-30 anonymized copy (and its ledger row): retention must make it again from raw.
        let anonymized = try #require(try ledger.files().first { $0.kind == .anonymized && $0.path.contains("2010/11/30") })
        let original = try Data(contentsOf: URL(fileURLWithPath: archive.root + "/" + anonymized.path))
        try archive.delete(anonymized.path)
        try ledger.remove(path: anonymized.path)

        let policies = try RulesLoader.load(directory: Fixtures.repositoryRoot.appendingPathComponent("rules").path)
        let keys = try KeyStore(directory: archive.root + "/keys")
        let now = Self.epoch("2011-03-01")
        let files = try ledger.files()
        let plan = RetentionPlanner(archive: archive, policies: policies, keys: keys, now: now).plan(files: files)
        let raw = try #require(files.first { $0.kind == .raw })
        #expect(plan.first == RetentionAction(kind: .rewriteRaw, path: raw.path, policies: ["groupsim-2009"],
            reason: "oldest line 2010-11-30, 90 days old: raw window of 90 days ended; no anonymized copy yet"))
        let runner = RetentionRunner(archive: archive, policies: policies, keys: keys, ledger: ledger,
                                     trail: try AuditTrail(path: archive.auditPath), now: now)
        let outcome = runner.execute(plan, files: files)
        #expect(outcome.failures.isEmpty, "\(outcome.failures)")
        // The same key made the same pseudonyms: the rewrite is byte for byte the nightly copy.
        let rewritten = try Data(contentsOf: URL(fileURLWithPath: archive.root + "/" + anonymized.path))
        #expect(rewritten == original)
        #expect(!archive.isRegularFile(raw.path))
        let events = try AuditTrail.read(path: archive.auditPath).suffix(3)
        #expect(events.map(\.action) == ["rewrite-raw", "delete-raw", "destroy-key"])
        #expect(events.first?.sha256Before == raw.sha256)
    }
}
