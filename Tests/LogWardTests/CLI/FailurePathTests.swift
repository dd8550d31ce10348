import Foundation
import Testing
import LogWard

/// Ordinary mistakes (a missing input, a wrong format, an output that is an input) end in a clear message and
/// a documented exit code, and nothing is recorded as done that was not done.
@Suite struct FailurePathTests {
    @Test(arguments: ["1", "2", "3"])
    func aMissingInputExitsThreeAndWritesNoOutputWhateverTheThreads(threads: String) throws {
        let directory = try TemporaryDirectory()
        let output = directory.path("out.log.gz")
        let result = try CommandRunner.run(["anonymize", "--policy", "music123-2003", "--keys", directory.path("keys"),
                                            "--threads", threads, "-o", output, directory.path("nonexistent.log.gz")])
        #expect(result.status == 3, "\(result.stderr)")
        #expect(result.stderr.contains("nonexistent.log.gz: cannot open: No such file or directory; no output written"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: output))

        let stats = try CommandRunner.run(["stats", "--policy", "music123-2003", "--keys", directory.path("keys"), "--threads", threads,
                                           "--sqlite", directory.path("s.sqlite"), directory.path("nonexistent.log.gz")])
        #expect(stats.status == 3, "\(stats.stderr)")
        #expect(!FileManager.default.fileExists(atPath: directory.path("s.sqlite")))
    }

    /// The nightly job's pass over an input it cannot open (removed, or unreadable to its user) throws and stages
    /// nothing, on one thread or several: it is never recorded with an empty digest and an empty archive file.
    @Test(arguments: [1, 2])
    func anArchivePassOverAnInputItCannotOpenStagesNothing(threads: Int) throws {
        let directory = try TemporaryDirectory()
        var pass = ArchivePass(policies: try RulesLoader.load(directory: Fixtures.repositoryRoot.appendingPathComponent("rules").path),
                               keys: try KeyStore(directory: directory.path("keys")), format: .combined)
        pass.site = "music123.com"
        pass.threads = threads
        pass.statsDatabase = directory.path("stats.sqlite")
        let missing = directory.path("gone.log.gz")
        #expect(throws: InputError.cannotOpen(path: missing, reason: "No such file or directory")) {
            try pass.run(input: missing, staging: directory.path("staged.log.gz"))
        }
        #expect(!FileManager.default.fileExists(atPath: directory.path("staged.log.gz")))
        #expect(!FileManager.default.fileExists(atPath: directory.path("stats.sqlite")))
    }

    /// Help and version still go through ArgumentParser (exit 0), whatever logward does with other errors.
    @Test(arguments: [["--help"], ["stats", "--help"], ["check", "-h"], ["run", "--help"], ["--version"]])
    func helpAndVersionExitZero(arguments: [String]) throws {
        let result = try CommandRunner.run(arguments)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains(arguments == ["--version"] ? "0." : "USAGE: logward"), "\(result.stdout)")
        #expect(result.stderr.isEmpty)
    }

    @Test func aRunWithTheWrongFormatRecordsNothingAndTheFixedRunProcessesEverything() throws {
        let directory = try TemporaryDirectory()
        let config = try KillSafetyTests.makeJob(directory)
        let text = try String(contentsOfFile: config, encoding: .utf8)
        // Combined logs read as vhost_combined: every line is rejected.
        try text.replacingOccurrences(of: "site: groups.im}", with: "site: groups.im, format: vhost_combined}")
            .write(toFile: config, atomically: true, encoding: .utf8)
        let first = try CommandRunner.run(["run", "--config", config, "--now", KillSafetyTests.now])
        #expect(first.status == 1, "\(first.stdout)")
        #expect(first.stdout.hasPrefix("logward run: 2 file(s) processed, 0 already done, 0 failed, 1 not recorded (retried next run)"),
                "\(first.stdout)")
        #expect(first.stdout.contains("groups.im/access.log.1.gz: 30 of 30 lines rejected, over max_reject_rate 0.05"), "\(first.stdout)")
        let archive = directory.path("archive")
        let ledger = try Ledger(path: archive + "/ledger.sqlite")
        #expect(try ledger.inputs().count == 2)
        // Nothing anonymized or counted; its raw copy kept as groups.im's policy keeps raw logs (keep_raw: true),
        // so logrotate removing the input before the format is fixed loses nothing.
        let groups = { try KillSafetyTests.archiveFiles(archive).keys.filter { $0.contains("groups.im") }.sorted() }
        let kept = try groups()
        #expect(kept.count == 1 && kept[0].hasPrefix("raw/groups.im/"), "\(kept)")
        let original = try Data(contentsOf: URL(fileURLWithPath: directory.path("in/groups.im/access.log.1.gz")))
        #expect(try Data(contentsOf: URL(fileURLWithPath: archive + "/" + kept[0])) == original)
        let store = try StatsStore(path: archive + "/stats.sqlite")
        #expect(try store.daily().map(\.site).contains("groups.im") == false)

        // The same night again, format still wrong: tried again, still not recorded, the raw copy kept once.
        let again = try CommandRunner.run(["run", "--config", config, "--now", KillSafetyTests.now])
        #expect(again.stdout.hasPrefix("logward run: 0 file(s) processed, 2 already done, 0 failed, 1 not recorded"), "\(again.stdout)")
        #expect(try groups() == kept)
        #expect(try AuditTrail.read(path: archive + "/audit.jsonl").filter { $0.action == "copy-raw" && $0.file == kept[0] }.count == 1)

        try text.write(toFile: config, atomically: true, encoding: .utf8)
        let fixed = try CommandRunner.run(["run", "--config", config, "--now", KillSafetyTests.now])
        #expect(fixed.status == 0, "\(fixed.stdout)")
        #expect(fixed.stdout.hasPrefix("logward run: 1 file(s) processed, 2 already done, 0 failed, 0 not recorded"), "\(fixed.stdout)")
        #expect(try store.daily().filter { $0.site == "groups.im" }.map(\.requests) == [30])
        // One anonymized file and one raw copy, dated by the newest line; the ledger knows exactly these.
        let archived = try groups()
        #expect(archived.map { String($0.prefix(4)) } == ["anon", "raw/"], "\(archived)")
        #expect(archived.allSatisfy { $0.contains("/2026/11/21/") }, "\(archived)")
        #expect(try ledger.files().filter { $0.label == "groups.im" }.map(\.path).sorted() == archived)
    }

    @Test func aRecordedInputIsProcessedAgainOnRequestWithoutDoubleCounting() throws {
        let directory = try TemporaryDirectory()
        let config = try KillSafetyTests.makeJob(directory)
        #expect(try CommandRunner.run(["run", "--config", config, "--now", KillSafetyTests.now]).status == 0)
        let archive = directory.path("archive")
        let before = try KillSafetyTests.archiveFiles(archive)
        let store = try StatsStore(path: archive + "/stats.sqlite")
        let daily = try store.daily()

        let input = directory.path("in/music123.com/access.log.1.gz")
        let again = try CommandRunner.run(["run", "--config", config, "--now", KillSafetyTests.now, "--reprocess", input])
        #expect(again.status == 0, "\(again.stdout)\(again.stderr)")
        #expect(again.stdout.hasPrefix("logward run: 1 file(s) processed, 2 already done"), "\(again.stdout)")
        #expect(again.stdout.contains("access.log.1.gz: processed again (--reprocess), 40 lines"), "\(again.stdout)")
        #expect(try store.daily() == daily)
        #expect(try KillSafetyTests.archiveFiles(archive) == before)
        let trail = try AuditTrail.read(path: archive + "/audit.jsonl")
        #expect(trail.filter { $0.action == "reprocess" }.count == 1)
        #expect(trail.filter { $0.action == "reprocess" }.first?.reason.contains("--reprocess") == true)

        let unknown = try CommandRunner.run(["run", "--config", config, "--reprocess", directory.path("elsewhere.log")])
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("elsewhere.log: no input of the config names this file"), "\(unknown.stderr)")
    }

    @Test func noCommandWritesOverOneOfItsInputs() throws {
        let directory = try TemporaryDirectory()
        let original = try Data(contentsOf: URL(fileURLWithPath: Fixtures.path("elastic-head-200.log")))
        let copy = directory.path("copy.log")
        try original.write(to: URL(fileURLWithPath: copy))
        try FileManager.default.createSymbolicLink(atPath: directory.path("link.log"), withDestinationPath: copy)
        let keys = directory.path("keys")
        let attempts: [([String], String)] = [
            (["stats", "--policy", "music123-2003", "--keys", keys, "--json-file", copy, copy, Fixtures.path("elastic-head-200.log.gz")], "--json-file"),
            (["stats", "--policy", "music123-2003", "--keys", keys, "--prometheus", directory.path("link.log"), copy], "--prometheus"),
            (["anonymize", "--policy", "music123-2003", "--keys", keys, "-o", copy, copy], "-o"),
            (["anonymize", "--policy", "music123-2003", "--keys", keys, "-o", "/dev/null", "--report", directory.path("link.log"), copy], "--report"),
            (["stats", "--policy", "music123-2003", "--keys", keys, "--sqlite", copy, copy], "--sqlite"),
        ]
        for (arguments, option) in attempts {
            let result = try CommandRunner.run(arguments)
            #expect(result.status == 2, "\(arguments)")
            #expect(result.stderr.contains("\(option) "), "\(result.stderr)")
            #expect(result.stderr.contains("logward never writes over one of its inputs"), "\(result.stderr)")
            #expect(try Data(contentsOf: URL(fileURLWithPath: copy)) == original, "\(arguments)")
        }
        // What a command reads besides its logs is an input too: the rules files and the config.
        let rules = directory.path("rules")
        try FileManager.default.copyItem(atPath: Fixtures.repositoryRoot.appendingPathComponent("rules").path, toPath: rules)
        let rulesFile = rules + "/music123-2003.yaml"
        let rulesText = try Data(contentsOf: URL(fileURLWithPath: rulesFile))
        let overRules = try CommandRunner.run(["anonymize", "--rules", rules, "--policy", "music123-2003", "--keys", keys, "-o", "/dev/null",
                                               "--report", rulesFile, copy])
        #expect(overRules.status == 2 && overRules.stderr.contains("--report \(rulesFile) is the input"), "\(overRules.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: rulesFile)) == rulesText)
        let job = try TemporaryDirectory()
        let config = try KillSafetyTests.makeJob(job)
        let configText = try Data(contentsOf: URL(fileURLWithPath: config))
        let overConfig = try CommandRunner.run(["run", "--config", config, "--now", KillSafetyTests.now, "--report", config])
        #expect(overConfig.status == 2 && overConfig.stderr.contains("--report \(config) is the input"), "\(overConfig.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: config)) == configText)
        #expect(!FileManager.default.fileExists(atPath: job.path("archive/ledger.sqlite")))

        // `--json` stays the report switch it is on check, run, retain and audit: a file after it is an input.
        let old = try CommandRunner.run(["stats", "--json", copy, copy])
        #expect(old.status == 2)
        #expect(try Data(contentsOf: URL(fileURLWithPath: copy)) == original)
    }

    @Test func aDanglingLinkGivenAsOutputIsRefusedAndKept() throws {
        let directory = try TemporaryDirectory()
        let link = directory.path("out.log")
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: directory.path("missing/target.log"))
        let result = try CommandRunner.run(["anonymize", "--policy", "music123-2003", "--keys", directory.path("keys"), "-o", link,
                                            Fixtures.path("elastic-head-200.log")])
        #expect(result.status == 3, "\(result.stderr)")
        #expect(result.stderr.contains("out.log: cannot write: is a link to a file that does not exist"), "\(result.stderr)")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link) == directory.path("missing/target.log"))
    }

    @Test func aReportPathThatIsALinkIsReplacedAtomicallyThroughTheLink() throws {
        let directory = try TemporaryDirectory()
        let target = try directory.write("target.json", "old")
        let link = directory.path("report.json")
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: target)
        let result = try CommandRunner.run(["anonymize", "--policy", "music123-2003", "--keys", directory.path("keys"), "-o", "/dev/null",
                                            "--quiet", "--report", link, Fixtures.path("elastic-head-200.log")])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link) == target)
        #expect(try String(contentsOfFile: target, encoding: .utf8).contains("\"lines\" : 200"))
        var info = stat()
        #expect(stat(target, &info) == 0 && info.st_mode & 0o777 == 0o600)
    }

    /// Exports are a set: when one file cannot be written, none is replaced.
    @Test func exportsAreWrittenAllOrNone() throws {
        let directory = try TemporaryDirectory()
        let csv = directory.path("csv")
        try FileManager.default.createDirectory(atPath: csv + "/breakdown.csv", withIntermediateDirectories: true)
        let json = try directory.write("stats.json", "previous")
        let result = try CommandRunner.run(["stats", "--policy", "music123-2003", "--keys", directory.path("keys"),
                                            "--sqlite", directory.path("s.sqlite"), "--json-file", json, "--csv", csv,
                                            Fixtures.path("elastic-head-200.log")])
        #expect(result.status == 3, "\(result.stderr)")
        #expect(result.stderr.contains("breakdown.csv: cannot write: is a directory"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: csv + "/daily.csv"))
        #expect(try String(contentsOfFile: json, encoding: .utf8) == "previous")
        #expect(ArchiveLifecycleTests.files(in: directory.url.path).filter { $0.contains(".tmp-") } == [])
    }

    /// `logward anonymize ... | head -1`: the closed pipe ends the output with a message and exit 3, not SIGPIPE (141).
    @Test(arguments: ["1", "2"])
    func aClosedStdoutIsAnOutputErrorNotASignal(threads: String) throws {
        let directory = try TemporaryDirectory()
        let script = """
            '\(CommandRunner.executable)' anonymize --threads \(threads) --policy music123-2003 --keys '\(directory.path("keys"))' \
              --quiet '\(Fixtures.realLog("elastic-apache-combined-10k.log.gz"))' 2>'\(directory.path("err"))' | head -1 >/dev/null
            echo "${PIPESTATUS[0]}"
            """
        let result = try CommandRunner.run(["-c", script], executable: "/bin/bash")
        #expect(result.stdout == "3\n", "\(result.stdout)")
        let message = try String(contentsOfFile: directory.path("err"), encoding: .utf8)
        #expect(message == "logward: stdout: closed by its reader (broken pipe); logward stopped writing\n", "\(message)")
    }

    /// A device with no space (`/dev/full`) as a report or export: the file and the cause in logward's words, exit 3.
    @Test func noSpaceForAReportOrAnExportIsExitThreeWithTheFileNamed() throws {
        let directory = try TemporaryDirectory()
        let report = try CommandRunner.run(["anonymize", "--policy", "music123-2003", "--keys", directory.path("keys"), "-o", "/dev/null",
                                            "--quiet", "--report", "/dev/full", Fixtures.path("elastic-head-200.log")])
        #expect(report.status == 3)
        #expect(report.stderr == "logward: /dev/full: cannot write: No space left on device\n", "\(report.stderr)")
        let export = try CommandRunner.run(["stats", "--policy", "music123-2003", "--keys", directory.path("keys"), "--quiet",
                                            "--sqlite", directory.path("s.sqlite"), "--prometheus", "/dev/full",
                                            Fixtures.path("elastic-head-200.log")])
        #expect(export.status == 3)
        #expect(export.stderr == "logward: /dev/full: cannot write: No space left on device\n", "\(export.stderr)")
    }

    /// Mounting a tiny tmpfs needs root and a kernel that lets this process mount; where it cannot, the test says so.
    static let tinyDisk: String? = {
        guard getuid() == 0 else { return nil }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("logward-tiny-\(getpid())").path
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        let mount = Process()
        mount.executableURL = URL(fileURLWithPath: "/bin/mount")
        mount.arguments = ["-t", "tmpfs", "-o", "size=64k", "tmpfs", path]
        mount.standardError = FileHandle.nullDevice
        guard (try? mount.run()) != nil else { return nil }
        mount.waitUntilExit()
        return mount.terminationStatus == 0 ? path : nil
    }()

    @Test(.enabled(if: tinyDisk != nil, "needs a 64 KiB tmpfs (root, and mount allowed)"))
    func aFullDiskLeavesNoDatabaseAndExitsThree() throws {
        let disk = try #require(Self.tinyDisk)
        defer {
            let umount = Process()
            umount.executableURL = URL(fileURLWithPath: "/bin/umount")
            umount.arguments = [disk]
            try? umount.run()
            umount.waitUntilExit()
        }
        let keys = try TemporaryDirectory().path("keys")
        let result = try CommandRunner.run(["stats", "--policy", "music123-2003", "--keys", keys, "--sqlite", disk + "/stats.sqlite",
                                            "--csv", disk + "/csv", Fixtures.realLog("elastic-apache-combined-10k.log.gz")])
        #expect(result.status == 3, "\(result.stderr)")
        #expect(result.stderr.hasSuffix("logward: \(disk)/stats.sqlite: cannot write: database or disk is full\n"), "\(result.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: disk) == [])
    }

    /// Lines of sites no rules file names are reported by site, with what to do; a virtual host that is an
    /// address (or no host name) is never printed.
    @Test func unknownSitesAreListedByNameWithAHint() throws {
        let directory = try TemporaryDirectory()
        let line = #"192.0.2.1 - - [17/May/2015:10:05:03 +0000] "GET / HTTP/1.1" 200 1 "-" "-""#
        let log = try directory.write("vhosts.log", [
            "www.Example.ORG:80 " + line, "www.example.org:443 " + line, "shop.example.net:80 " + line,
            "203.0.113.9:80 " + line, "music123.com:80 " + line,
        ].joined(separator: "\n") + "\n")
        let result = try CommandRunner.run(["anonymize", "--format", "vhost_combined", "--keys", directory.path("keys"), "-o", "/dev/null", log])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("lines of sites no rules file names (the strict default policy governed them): 4: "
                                       + "www.example.org 2, (not a host name) 1, shop.example.net 1\n"), "\(result.stderr)")
        #expect(result.stderr.contains("add a rules file whose sites: list names them, or give --site HOST"), "\(result.stderr)")
        #expect(!result.stderr.contains("203.0.113"))

        let noSite = try CommandRunner.run(["anonymize", "--keys", directory.path("keys"), "-o", "/dev/null", Fixtures.path("elastic-head-200.log")])
        #expect(noSite.stderr.contains("200: (no site: the format has no virtual host and no --site was given) 200"), "\(noSite.stderr)")
    }

    @Test func aRunRefusesAConfigSiteNoRulesFileGovernsAndWarnsOfIneffectiveSettings() throws {
        let directory = try TemporaryDirectory()
        let config = try KillSafetyTests.makeJob(directory)
        let text = try String(contentsOfFile: config, encoding: .utf8)
        let run = try CommandRunner.run(["run", "--config", config, "--now", KillSafetyTests.now])
        #expect(run.status == 0)
        #expect(run.stdout.contains("warning: keep_raw: true has no effect on the inputs of music123.com: its policies (music123-2003) keep no raw log"),
                "\(run.stdout)")
        try text.replacingOccurrences(of: "site: groups.im}", with: "site: groups.example}").write(toFile: config, atomically: true, encoding: .utf8)
        let refused = try CommandRunner.run(["run", "--config", config, "--now", KillSafetyTests.now])
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("input site 'groups.example' is named by no rules file in"), "\(refused.stderr)")
    }
}
