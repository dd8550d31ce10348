import Foundation
import Testing
import LogWard

/// An install that works on a server (issue 17): `make install` lays out the binary, the rules it then reads by
/// default, the manual page and shell completions; an empty rules directory means the built-in default policy.
@Suite struct InstallTests {
    @Test func anInstalledLogwardFindsItsRulesManualAndCompletions() throws {
        let directory = try TemporaryDirectory()
        let prefix = directory.path("prefix")
        let make = Process()
        make.executableURL = URL(fileURLWithPath: "/usr/bin/make")
        make.arguments = ["-s", "install-files", "PREFIX=\(prefix)", "BIN=\(CommandRunner.executable)"]
        make.currentDirectoryURL = Fixtures.repositoryRoot
        try make.run()
        make.waitUntilExit()
        #expect(make.terminationStatus == 0)
        for file in ["bin/logward", "share/logward/rules/groupsim-2009.yaml", "share/logward/rules/README.md", "share/man/man1/logward.1",
                     "share/bash-completion/completions/logward", "share/zsh/site-functions/_logward",
                     "share/fish/vendor_completions.d/logward.fish"] {
            #expect(FileManager.default.fileExists(atPath: prefix + "/" + file), "\(file)")
        }
        // Run from a folder with no rules/ and no LOGWARD_RULES: the installed rules are the default.
        let policies = try CommandRunner.run(["policies"], currentDirectory: directory.path(""), environment: ["LOGWARD_RULES": ""],
                                             executable: prefix + "/bin/logward")
        #expect(policies.status == 0, "\(policies.stderr)")
        for id in ["123together-2007", "groupsim-2009", "music123-2003", "zoomgroups-2008"] { #expect(policies.stdout.contains(id), "\(id)") }
        // The manual page names every command the binary has.
        let manual = try String(contentsOfFile: prefix + "/share/man/man1/logward.1", encoding: .utf8)
        let help = try CommandRunner.run(["--help"]).stdout
        // A command's line begins with two spaces and its name; its description's other lines are indented further.
        let commands = help.components(separatedBy: "SUBCOMMANDS:").last!.split(separator: "\n")
            .filter { $0.hasPrefix("  ") && !$0.hasPrefix("   ") && !$0.contains("See '") }
            .compactMap { $0.split(separator: " ").first.map(String.init) }
        #expect(commands.count == 12, "\(commands)")
        for command in commands { #expect(manual.contains(".It Em \(command)"), "\(command) is missing from docs/logward.1: run make man") }
        let bash = try String(contentsOfFile: prefix + "/share/bash-completion/completions/logward", encoding: .utf8)
        #expect(bash.contains("erase") && bash.contains("--codec"))
    }

    @Test func anEmptyRulesDirectoryMeansTheBuiltInDefaultPolicy() throws {
        let directory = try TemporaryDirectory()
        try FileManager.default.createDirectory(atPath: directory.path("rules"), withIntermediateDirectories: true)
        let set = try RulesLoader.load(directory: directory.path("rules"))
        #expect(set.policies.map(\.id) == [PolicySet.builtInDefault.id])
        let log = try directory.write("access.log",
            "192.0.2.7 - alice [10/Mar/2024:10:00:00 +0000] \"GET /u/alice@example.com HTTP/1.1\" 200 5 \"-\" \"curl/8\"\n")
        let result = try CommandRunner.run(["anonymize", "--rules", directory.path("rules"), "--keys", directory.path("keys"), log])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(!result.stdout.contains("192.0.2.7") && !result.stdout.contains("alice"), "\(result.stdout)")
    }
}

/// On a terminal, anonymize, stats and run show which file they read and how far (issue 17); under cron, nothing.
@Suite struct ProgressLineTests {
    @Test(arguments: ["anonymize", "stats"])
    func aTerminalSeesTheFileBeingRead(command: String) throws {
        let directory = try TemporaryDirectory()
        var arguments = [CommandRunner.executable, command] + (command == "stats" ? ["--csv", directory.path("csv")] : ["-o", "/dev/null"])
        arguments += ["--rules", Fixtures.path("rules-stats"), "--site", "stats.test", "--keys", directory.path("keys"),
                      "--max-reject-rate", "1", Fixtures.path("stats/visits.log")]
        // `script` runs the command on a pseudo-terminal, as a person at a shell would.
        let quoted = arguments.map { "'" + $0 + "'" }.joined(separator: " ")
        let onTerminal = try CommandRunner.run(["-qec", quoted, "/dev/null"], executable: "/usr/bin/script")
        #expect(onTerminal.status == 0, "\(onTerminal.stdout)")
        #expect(onTerminal.stdout.contains("visits.log: 0 MiB read"), "\(onTerminal.stdout)")
        let piped = try CommandRunner.run(Array(arguments.dropFirst()))
        #expect(!piped.stderr.contains("MiB read"))
    }
}
