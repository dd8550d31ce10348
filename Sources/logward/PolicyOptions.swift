import ArgumentParser
import Foundation
import LogWard

/// Which rules govern the lines, and where pseudonym keys live; shared by `anonymize` and `stats`.
struct PolicyOptions: ParsableArguments {
    @OptionGroup var rulesDirectory: RulesDirectory

    @OptionGroup var selection: PolicySelection
    var policy: String? { selection.policy }
    var site: String? { selection.site }

    @Option(name: .long, help: "Pseudonym key store directory (0700; created if missing). Default: $LOGWARD_KEYS or ~/.local/state/logward/keys.")
    var keys: String?

    @Flag(name: .customLong("no-new-keys"), help: "Use only keys that exist (made ahead with `logward keys create`, e.g. on a Spark executor); a missing key is an error.")
    var noNewKeys = false

    @Option(name: .long, help: "Take rules, key store, statistics sinks and (for a one-input config) site and format from the nightly job's config; options given here win.")
    var config: String?

    /// What the command reads besides its logs (the config, the rules files): no output may be one of them.
    func readFiles(config settings: RunConfig?) -> [String] {
        [config].compactMap { $0 } + RulesLoader.files(directory: rulesDirectory.rules ?? settings?.rulesDirectory ?? RulesDirectory.defaultPath)
    }

    /// The config, read once per command.
    func loadedConfig() throws -> RunConfig? { try config.map { try RunConfig.load(path: $0) } }

    /// The policy choice and a pseudonym pool; the key store is opened only when something needs keys.
    func prepare(statistics: Bool, config settings: RunConfig? = nil, files: [String] = []) throws -> (PolicyChoice, PseudonymizerPool, KeyStore?) {
        // Rules and key store errors are logward's own (exit 2, named file and reason).
        let set = try RulesLoader.load(directory: rulesDirectory.rules ?? settings?.rulesDirectory ?? RulesDirectory.defaultPath)
        let single = settings?.input(for: files)
        let choice = try PolicyChoice(set: set, forcedPolicy: policy ?? single?.policy, site: site ?? single?.site)
        // Hashing needs keys, and so do statistics: a visitor is a keyed pseudonym of address and agent.
        let needsKeys = statistics
            || set.policies.contains { policy in FieldClass.allCases.contains { policy.action($0) == .hash } }
        let store = needsKeys ? try KeyStore(directory: keys ?? settings?.keys ?? KeyStore.defaultLocation(),
                                             createsKeys: !noNewKeys) : nil
        return (choice, PseudonymizerPool(keys: store), store)
    }
}

/// `--rules DIR`: where the rules files are (default `rules`, or $LOGWARD_RULES).
struct RulesDirectory: ParsableArguments {
    @Option(name: .long, help: "Directory of rules files (one YAML file per policy version). Default: $LOGWARD_RULES, else ./rules, else the installed <prefix>/share/logward/rules.")
    var rules: String?

    /// $LOGWARD_RULES, else `rules` in the working directory, else the rules installed beside the binary
    /// (`make install`: `<prefix>/bin/logward` reads `<prefix>/share/logward/rules`).
    static var defaultPath: String {
        if let path = ProcessInfo.processInfo.environment["LOGWARD_RULES"], !path.isEmpty { return path }
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: "rules", isDirectory: &isDirectory), isDirectory.boolValue { return "rules" }
        guard let executable = Bundle.main.executableURL?.resolvingSymlinksInPath() else { return "rules" }
        let installed = executable.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("share/logward/rules").path
        return FileManager.default.fileExists(atPath: installed) ? installed : "rules"
    }

    func load() throws -> PolicySet { try RulesLoader.load(directory: rules ?? Self.defaultPath) }
}

/// `--policy ID`, `--site HOST`: what governs lines that do not name their site; one declaration for every command
/// that reads logs (anonymize, stats, audit).
struct PolicySelection: ParsableArguments {
    @Option(name: .long, help: "Policy version (id) that governs every line, e.g. music123-2003.")
    var policy: String?

    @Option(name: .long, help: "Site host name of lines whose format has no virtual-host field.")
    var site: String?
}
