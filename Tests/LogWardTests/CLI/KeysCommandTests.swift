import Foundation
import Testing
import LogWard

/// Keys made ahead for a distributed run (issue 18): `logward keys create`, and runs that only read keys.
@Suite struct KeysCommandTests {
    static let rules = Fixtures.repositoryRoot.appendingPathComponent("rules").path

    @Test func keysAreCreatedAheadOncePerPeriod() throws {
        let directory = try TemporaryDirectory()
        let keys = directory.path("keys")
        let arguments = ["keys", "create", "--keys", keys, "--rules", Self.rules, "--policy", "groupsim-2009",
                         "--from", "2026-11-01", "--to", "2026-11-03"]
        let first = try CommandRunner.run(arguments)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout == "logward keys create: 3 key(s) created, 0 already there, for groupsim-2009 (1-day periods) from 2026-11-01 to 2026-11-03 in \(keys)\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: keys + "/groupsim-2009").sorted()
                == ["2026-11-01.key", "2026-11-02.key", "2026-11-03.key"])
        let mode = try FileManager.default.attributesOfItem(atPath: keys + "/groupsim-2009/2026-11-02.key")[.posixPermissions] as? Int
        #expect(mode == 0o600)
        let before = try Data(contentsOf: URL(fileURLWithPath: keys + "/groupsim-2009/2026-11-02.key"))
        let again = try CommandRunner.run(arguments)
        #expect(again.stdout.contains("0 key(s) created, 3 already there"), "\(again.stdout)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: keys + "/groupsim-2009/2026-11-02.key")) == before)

        let unknown = try CommandRunner.run(["keys", "create", "--keys", keys, "--rules", Self.rules, "--policy", "nope",
                                             "--from", "2026-11-01", "--to", "2026-11-03"])
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("no policy 'nope'"), "\(unknown.stderr)")
        let backwards = try CommandRunner.run(["keys", "create", "--keys", keys, "--rules", Self.rules, "--policy", "groupsim-2009",
                                               "--from", "2026-11-03", "--to", "2026-11-01"])
        #expect(backwards.status == 2)
        #expect(backwards.stderr.contains("--from 2026-11-03 is after --to 2026-11-01"), "\(backwards.stderr)")
    }

    /// An executor run with --no-new-keys pseudonymizes with the keys made ahead, and refuses a day without one
    /// rather than make a key no other machine has.
    @Test func aRunThatMayNotCreateKeysUsesThoseMadeAheadAndRefusesAMissingOne() throws {
        let directory = try TemporaryDirectory()
        let keys = directory.path("keys")
        _ = try CommandRunner.run(["keys", "create", "--keys", keys, "--rules", Self.rules, "--policy", "groupsim-2009",
                                   "--from", "2026-11-21", "--to", "2026-11-21"])
        let inside = directory.path("in.log.gz")
        try SyntheticLogs.write(inside, day: "2026-11-21", count: 5)
        let made = try CommandRunner.run(["anonymize", "--rules", Self.rules, "--site", "groups.im", "--keys", keys, "--no-new-keys",
                                          "-o", directory.path("out.log"), inside])
        #expect(made.status == 0, "\(made.stderr)")
        // The same pseudonyms as a run allowed to create keys, given the same store.
        let reference = try CommandRunner.run(["anonymize", "--rules", Self.rules, "--site", "groups.im", "--keys", keys,
                                               "-o", directory.path("reference.log"), inside])
        #expect(reference.status == 0)
        #expect(try Data(contentsOf: URL(fileURLWithPath: directory.path("out.log")))
                == Data(contentsOf: URL(fileURLWithPath: directory.path("reference.log"))))

        let outside = directory.path("late.log.gz")
        try SyntheticLogs.write(outside, day: "2026-11-22", count: 5)
        let refused = try CommandRunner.run(["anonymize", "--rules", Self.rules, "--site", "groups.im", "--keys", keys, "--no-new-keys",
                                             "-o", directory.path("late.log"), outside])
        #expect(refused.status == 2, "\(refused.stderr)")
        #expect(refused.stderr.contains("2026-11-22.key: no such key, and this run may not create one (--no-new-keys)"), "\(refused.stderr)")
        #expect(!FileManager.default.fileExists(atPath: keys + "/groupsim-2009/2026-11-22.key"))
        #expect(!FileManager.default.fileExists(atPath: directory.path("late.log")))
    }
}
