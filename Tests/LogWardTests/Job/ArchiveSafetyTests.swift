import Foundation
import Testing
import LogWard

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
        (["retain", "--archive", "/tmp"], 2, "/tmp: no ledger.sqlite here, so not a logward archive"),
        (["retain", "--archive", "/tmp", "--now", "yesterday"], 2, "--now: 'yesterday' is not YYYY-MM-DD"),
        (["audit", "--fix", "--dry-run"], 2, "Missing expected argument '<paths> ...'"),
        (["audit", "--dry-run", "fixtures/elastic-head-200.log"], 2, "--dry-run goes with --fix"),
    ])
    func jobErrorsExitWithTheirDocumentedCode(arguments: [String], status: Int32, message: String) throws {
        let result = try CommandRunner.run(arguments)
        #expect(result.status == status, "\(result.stderr)")
        #expect(result.stderr.contains(message), "\(result.stderr)")
    }

    @Test func aDamagedInputFailsAloneAndIsRetriedByTheNextRun() throws {
        let directory = try TemporaryDirectory()
        let config = try KillSafetyTests.makeJob(directory)
        let damaged = directory.path("in/groups.im/access.log.2.gz")
        try FileManager.default.copyItem(atPath: Fixtures.path("elastic-head-200-truncated.log.gz"), toPath: damaged)
        let first = try CommandRunner.run(["run", "--config", config, "--now", KillSafetyTests.now, "--json"])
        #expect(first.status == 3, "\(first.stdout)")
        let report = try JSONDecoder().decode(RunReport.self, from: Data(first.stdout.utf8))
        // music123's file, then groups.im's two (sorted), then zoomgroups'.
        #expect(report.inputs.map(\.status) == [.processed, .processed, .failed, .processed])
        #expect(report.inputs[2].path == damaged)
        #expect(report.inputs[2].error?.contains("truncated gzip file") == true, "\(report.inputs[2])")
        #expect(report.problems.count == 1)
        // The three good files are done; the damaged one is tried again (and fails again) the next night.
        let second = try CommandRunner.run(["run", "--config", config, "--now", KillSafetyTests.now])
        #expect(second.status == 3)
        #expect(second.stdout.hasPrefix("logward run: 0 file(s) processed, 3 already done, 1 failed"), "\(second.stdout)")
        #expect(try Ledger(path: directory.path("archive/ledger.sqlite")).inputs().count == 3)
    }

    @Test func tooManyRejectedLinesExitOneAndLeaveThatFileUnrecorded() throws {
        let directory = try TemporaryDirectory()
        let config = try KillSafetyTests.makeJob(directory)
        try Data("not a log line\nnor this\n".utf8).write(to: URL(fileURLWithPath: directory.path("in/music123.com/access.log.5.gz")))
        let result = try CommandRunner.run(["run", "--config", config, "--now", KillSafetyTests.now])
        #expect(result.status == 1, "\(result.stdout)")
        #expect(result.stdout.contains("access.log.5.gz: 2 of 2 lines rejected, over max_reject_rate 0.05"), "\(result.stdout)")
        #expect(try Ledger(path: directory.path("archive/ledger.sqlite")).inputs().count == 3)
    }

    @Test func anonymizeWithTheConfigReadsAFileWithItsGroupsSiteAndFormat() throws {
        let result = try CommandRunner.run(["anonymize", "--config", "fixtures/run/logward.yaml", "--keys", try TemporaryDirectory().path("k"),
                                            "-o", "/dev/null", "fixtures/run/logs/zoomgroups/access.log.1.gz"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("policies: zoomgroups-2008 100"), "\(result.stderr)")
    }
}
