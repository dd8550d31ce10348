import ArgumentParser
import Foundation
import LogWard

/// Where the rules and keys live.
struct RulesOptions: ParsableArguments {
    @Option(name: .long, help: "Directory of rules files (one YAML file per policy version).")
    var rules = ProcessInfo.processInfo.environment["LOGWARD_RULES"] ?? "rules"

    func load() throws -> PolicySet {
        do {
            return try RulesLoader.load(directory: rules)
        } catch let error as RulesError {
            throw ValidationError("\(error)")
        }
    }
}

enum KeyStoreLocation {
    /// $LOGWARD_KEYS, else $XDG_STATE_HOME/logward/keys, else ~/.local/state/logward/keys.
    static var defaultPath: String {
        let environment = ProcessInfo.processInfo.environment
        if let path = environment["LOGWARD_KEYS"] { return path }
        let state = environment["XDG_STATE_HOME"] ?? ((environment["HOME"] ?? ".") + "/.local/state")
        return state + "/logward/keys"
    }
}
