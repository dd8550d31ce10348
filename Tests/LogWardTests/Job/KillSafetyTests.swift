import Foundation
import Testing
@testable import LogWard

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
}

/// The archive's safety rules and the job's documented errors, through the command line.
@Suite struct ArchiveSafetyTests {
    @Test func anArchiveWhoseRawDataOthersCanReadIsRefused() throws {
        let directory = try TemporaryDirectory()
        let config = try KillSafetyTests.makeJob(directory)
        #expect(try CommandRunner.run(["run", "--config", config, "--now", KillSafetyTests.now]).status == 0)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: directory.path("archive/raw"))
        for arguments in [["run", "--config", config], ["retain", "--config", config]] {
            let result = try CommandRunner.run(arguments)
            #expect(result.status == 2)
            #expect(result.stderr.contains("archive/raw: mode 755 lets others read raw data"), "\(result.stderr)")
        }
    }

    @Test func retentionNeverFollowsALinkOutOfTheArchive() throws {
        let directory = try TemporaryDirectory()
        let config = try KillSafetyTests.makeJob(directory)
        #expect(try CommandRunner.run(["run", "--config", config, "--now", KillSafetyTests.now]).status == 0)
        // Replace the groups.im date folder of the raw copy by a link to a folder outside the archive.
        let archive = Archive(root: directory.path("archive"))
        let raw = try #require(try Ledger(path: archive.ledgerPath).files().first { $0.kind == .raw })
        let folder = archive.root + "/" + (raw.path as NSString).deletingLastPathComponent
        let outside = directory.path("outside")
        try FileManager.default.moveItem(atPath: folder, toPath: outside)
        try FileManager.default.createSymbolicLink(atPath: folder, withDestinationPath: outside)
        let result = try CommandRunner.run(["retain", "--config", config, "--now", "2027-06-01"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("is a symbolic link; logward never follows links inside an archive"), "\(result.stderr)")
        // The file behind the link is untouched.
        #expect(FileManager.default.fileExists(atPath: outside + "/" + (raw.path as NSString).lastPathComponent))
    }

    @Test(arguments: [
        (["run", "--config", "/nonexistent.yaml"], Int32(2), "/nonexistent.yaml: cannot read the config file"),
        (["retain"], 2, "name the archive: --archive DIR or --config FILE"),
        (["retain", "--archive", "/tmp"], 3, "/tmp: no ledger.sqlite here: not a logward archive"),
        (["retain", "--archive", "/tmp", "--now", "yesterday"], 2, "--now: 'yesterday' is not YYYY-MM-DD"),
        (["audit", "--fix", "--dry-run"], 2, "Missing expected argument '<paths> ...'"),
        (["audit", "--dry-run", "fixtures/elastic-head-200.log"], 2, "--dry-run goes with --fix"),
    ])
    func jobErrorsExitWithTheirDocumentedCode(arguments: [String], status: Int32, message: String) throws {
        let result = try CommandRunner.run(arguments)
        #expect(result.status == status, "\(result.stderr)")
        #expect(result.stderr.contains(message), "\(result.stderr)")
    }

    @Test func anonymizeWithTheConfigReadsAFileWithItsGroupsSiteAndFormat() throws {
        let result = try CommandRunner.run(["anonymize", "--config", "fixtures/run/logward.yaml", "--keys", try TemporaryDirectory().path("k"),
                                            "-o", "/dev/null", "fixtures/run/logs/zoomgroups/access.log.1.gz"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("policies: zoomgroups-2008 100"), "\(result.stderr)")
    }
}
