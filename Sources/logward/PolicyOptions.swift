import ArgumentParser
import Foundation
import LogWard

/// Which rules govern the lines, and where pseudonym keys live; shared by `anonymize` and `stats`.
struct PolicyOptions: ParsableArguments {
    @OptionGroup var rulesDirectory: RulesDirectory

    @Option(name: .long, help: "Policy version (id) that governs every line, e.g. music123-2003.")
    var policy: String?

    @Option(name: .long, help: "Site host name of lines whose format has no virtual-host field.")
    var site: String?

    @Option(name: .long, help: "Pseudonym key store directory (0700; created if missing).")
    var keys = KeyStoreLocation.defaultPath

    /// The policy choice and a pseudonym pool; the key store is opened only when something needs keys.
    func prepare(statistics: Bool) throws -> (PolicyChoice, PseudonymizerPool, KeyStore?) {
        // Rules and key store errors are logward's own (exit 2, named file and reason).
        let set = try rulesDirectory.load()
        let choice = try PolicyChoice(set: set, forcedPolicy: policy, site: site)
        // Hashing needs keys, and so do statistics: a visitor is a keyed pseudonym of address and agent.
        let needsKeys = statistics
            || set.policies.contains { policy in FieldClass.allCases.contains { policy.action($0) == .hash } }
        let store = needsKeys ? try KeyStore(directory: keys) : nil
        return (choice, PseudonymizerPool(keys: store), store)
    }
}

/// `--rules DIR`: where the rules files are (default `rules`, or $LOGWARD_RULES).
struct RulesDirectory: ParsableArguments {
    @Option(name: .long, help: "Directory of rules files (one YAML file per policy version).")
    var rules = ProcessInfo.processInfo.environment["LOGWARD_RULES"] ?? "rules"

    func load() throws -> PolicySet { try RulesLoader.load(directory: rules) }
}
