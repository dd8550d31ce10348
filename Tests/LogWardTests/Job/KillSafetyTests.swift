import Foundation
import Testing
import LogWard

/// `kill -9` at several points of `logward run`, then a plain re-run: the archive ends byte for byte as after an
/// uninterrupted run, the statistics count every file once, and no temporary file is left.
@Suite(.serialized) struct KillSafetyTests {
    static let now = "2026-11-22T03:00:00Z"

    /// Three rotated files: two of yesterday, one two years old (processed, then deleted by retention at once).
    static func makeJob(_ directory: TemporaryDirectory) throws -> String {
        try SyntheticLogs.write(directory.path("in/music123.com/access.log.1.gz"), day: "2026-11-21", count: 40)
        try SyntheticLogs.write(directory.path("in/groups.im/access.log.1.gz"), day: "2026-11-21", count: 30, startHour: 9)
        try SyntheticLogs.write(directory.path("in/zoomgroups.com/access.log.9.gz"), day: "2024-11-01", count: 20)
        var text = "rules: \(Fixtures.repositoryRoot.appendingPathComponent("rules").path)\narchive: archive\nkeep_raw: true\ninputs:\n"
        for site in ["music123.com", "groups.im", "zoomgroups.com"] {
            text += "  - {paths: [\"in/\(site)/access.log.*.gz\"], site: \(site)}\n"
        }
        return try directory.write("logward.yaml", text)
    }

    /// Relative path -> bytes of everything under anon/ and raw/.
    static func archiveFiles(_ archive: String) throws -> [String: Data] {
        var result: [String: Data] = [:]
        for path in ArchiveLifecycleTests.files(in: archive) where path.hasPrefix("anon/") || path.hasPrefix("raw/") {
            result[path] = try Data(contentsOf: URL(fileURLWithPath: archive + "/" + path))
        }
        return result
    }

    static func copyKeys(from source: String, to destination: String) throws {
        try FileManager.default.createDirectory(atPath: destination, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        for name in ArchiveLifecycleTests.files(in: source) {
            let parent = destination + "/" + (name as NSString).deletingLastPathComponent
            try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            try FileManager.default.copyItem(atPath: source + "/" + name, toPath: destination + "/" + name)
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: destination + "/" + name)
        }
    }

    @Test(arguments: ["staged", "anonymized-in-place", "before-ledger", "before-retention", "after-first-retention-step"])
    func aRunKilledAtAnyPointIsFinishedByTheNextWithTheSameBytes(point: String) throws {
        let reference = try TemporaryDirectory()
        let referenceConfig = try Self.makeJob(reference)
        let first = try CommandRunner.run(["run", "--config", referenceConfig, "--now", Self.now])
        #expect(first.status == 0, "\(first.stdout)\(first.stderr)")
        let expected = try Self.archiveFiles(reference.path("archive"))
        #expect(expected.keys.sorted().map { String($0.prefix(8)) } == ["anon/gro", "anon/mus", "raw/grou"])

        let killed = try TemporaryDirectory()
        let config = try Self.makeJob(killed)
        // Same keys, so the same pseudonyms: byte-identical output is then the expected outcome.
        try Self.copyKeys(from: reference.path("archive/keys"), to: killed.path("archive/keys"))
        let crash = try CommandRunner.run(["run", "--config", config, "--now", Self.now], environment: ["LOGWARD_CRASH_AT": point])
        #expect(crash.signaled && crash.status == SIGKILL, "\(point): \(crash.status) \(crash.stdout)")

        let rerun = try CommandRunner.run(["run", "--config", config, "--now", Self.now])
        #expect(rerun.status == 0, "\(rerun.stdout)\(rerun.stderr)")
        #expect(try Self.archiveFiles(killed.path("archive")) == expected)

        let archive = killed.path("archive")
        let leftovers = ArchiveLifecycleTests.files(in: archive).filter { $0.hasPrefix(".staging/") || $0.contains(".tmp-") }
        #expect(leftovers == [])
        let store = try StatsStore(path: archive + "/stats.sqlite")
        let referenceStore = try StatsStore(path: reference.path("archive/stats.sqlite"))
        #expect(try store.daily() == referenceStore.daily())
        #expect(try store.breakdown() == referenceStore.breakdown())
        #expect(try store.daily().map(\.requests).reduce(0, +) == 90)
        let ledger = try Ledger(path: archive + "/ledger.sqlite")
        #expect(try ledger.inputs().count == 3)
        #expect(try ledger.files().map(\.path).sorted() == expected.keys.sorted())

        // And a third run changes nothing.
        let third = try CommandRunner.run(["run", "--config", config, "--now", Self.now])
        #expect(third.stdout.hasPrefix("logward run: 0 file(s) processed, 3 already done, 0 failed"), "\(third.stdout)")
        #expect(try Self.archiveFiles(archive) == expected)
    }

    @Test func aSecondRunWhileTheFirstHoldsTheLockExitsFourAndDoesNothing() throws {
        let directory = try TemporaryDirectory()
        let config = try Self.makeJob(directory)
        let archive = Archive(root: directory.path("archive"))
        try archive.prepare()
        let lock = try ArchiveLock(archive: archive.root)
        let result = try CommandRunner.run(["run", "--config", config, "--now", Self.now])
        #expect(result.status == 4)
        #expect(result.stderr.contains("another logward run holds the archive lock"), "\(result.stderr)")
        #expect(try Self.archiveFiles(archive.root).isEmpty)
        withExtendedLifetime(lock) {}
    }

    @Test(arguments: ["rewrite-staged", "rewrite-in-place", "raw-deleted"])
    func aRetentionKilledMidRewriteIsFinishedByTheNextWithTheSameBytes(point: String) throws {
        let directory = try TemporaryDirectory()
        let config = try Self.makeJob(directory)
        #expect(try CommandRunner.run(["run", "--config", config, "--now", Self.now]).status == 0)
        // Drop the groups.im anonymized copy: retention must rebuild it from the raw file.
        let archive = Archive(root: directory.path("archive"))
        let ledger = try Ledger(path: archive.ledgerPath)
        let anonymized = try #require(try ledger.files().first { $0.kind == .anonymized && $0.label == "groups.im" })
        let original = try Data(contentsOf: URL(fileURLWithPath: archive.root + "/" + anonymized.path))
        try archive.delete(anonymized.path)
        try ledger.remove(path: anonymized.path)

        let arguments = ["retain", "--config", config, "--now", "2027-06-01"]
        let crash = try CommandRunner.run(arguments, environment: ["LOGWARD_CRASH_AT": point])
        #expect(crash.signaled && crash.status == SIGKILL, "\(point): \(crash.status) \(crash.stdout)\(crash.stderr)")
        let rerun = try CommandRunner.run(arguments)
        #expect(rerun.status == 0, "\(rerun.stdout)\(rerun.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: archive.root + "/" + anonymized.path)) == original)
        #expect(try ledger.files().filter { $0.label == "groups.im" }.map(\.path) == [anonymized.path])
        #expect(ArchiveLifecycleTests.files(in: archive.root).filter { $0.hasPrefix("raw/") || $0.hasPrefix(".staging/") } == [])
        // Nothing is left for retention to do.
        let plan = try CommandRunner.run(arguments + ["--dry-run", "--json"])
        #expect(try JSONDecoder().decode([RetentionAction].self, from: Data(plan.stdout.utf8)) == [])
    }

    /// A retention killed between a deletion or key destruction and its audit entry (or between zeroing a key and
    /// unlinking it) is finished by the next: every act has exactly one entry, as in a run never killed, and no
    /// zeroed key is left to be used.
    @Test(arguments: ["key-zeroed", "key-destroyed", "raw-deleted", "after-first-retention-step"])
    func aRetentionKilledMidStepLeavesTheTrailOfACleanRun(point: String) throws {
        func trail(_ directory: TemporaryDirectory, crashAt: String?) throws -> [String] {
            let config = try Self.makeJob(directory)
            #expect(try CommandRunner.run(["run", "--config", config, "--now", Self.now]).status == 0)
            let arguments = ["retain", "--config", config, "--now", "2027-06-01"]
            if let crashAt {
                let crash = try CommandRunner.run(arguments, environment: ["LOGWARD_CRASH_AT": crashAt])
                #expect(crash.signaled && crash.status == SIGKILL, "\(crashAt): \(crash.status) \(crash.stderr)")
            }
            let rerun = try CommandRunner.run(arguments)
            #expect(rerun.status == 0, "\(rerun.stdout)\(rerun.stderr)")
            let archive = Archive(root: directory.path("archive"))
            #expect(try Ledger(path: archive.ledgerPath).intents() == [])
            let keys = ArchiveLifecycleTests.files(in: archive.root).filter { $0.hasPrefix("keys/") }
            for key in keys {
                let bytes = try Data(contentsOf: URL(fileURLWithPath: archive.root + "/" + key))
                #expect(bytes.contains { $0 != 0 }, "\(key) is all zeros")
            }
            return try AuditTrail.read(path: archive.auditPath).map { "\($0.action) \($0.file)" }.sorted()
        }
        let clean = try trail(try TemporaryDirectory(), crashAt: nil)
        #expect(clean.contains { $0.hasPrefix("destroy-key") })
        #expect(clean.contains { $0.hasPrefix("delete-raw") })
        #expect(try trail(try TemporaryDirectory(), crashAt: point) == clean)
    }

    @Test func theLockHoldsWhenItsFileIsDeleted() throws {
        let directory = try TemporaryDirectory()
        let config = try Self.makeJob(directory)
        #expect(try CommandRunner.run(["run", "--config", config, "--now", Self.now]).status == 0)
        let archive = Archive(root: directory.path("archive"))
        let before = try Self.archiveFiles(archive.root)
        let trail = try AuditTrail.read(path: archive.auditPath)
        let lock = try ArchiveLock(archive: archive.root)
        // What an operator's clean-up (or another tool) might do to a lock file: nothing may follow from it.
        unlink(archive.root + "/.lock")
        for arguments in [["run", "--config", config, "--now", Self.now], ["retain", "--config", config, "--now", "2027-06-01"]] {
            let result = try CommandRunner.run(arguments)
            #expect(result.status == 4, "\(arguments[0]): \(result.stderr)")
        }
        #expect(try Self.archiveFiles(archive.root) == before)
        #expect(try AuditTrail.read(path: archive.auditPath) == trail)
        withExtendedLifetime(lock) {}
    }
}
