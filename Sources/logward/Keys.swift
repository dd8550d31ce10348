import ArgumentParser
import Foundation
import LogWard

struct Keys: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Manage the pseudonym key store.",
        subcommands: [Create.self]
    )

    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a policy's keys for a range of days ahead of a distributed run.",
            discussion: """
                Shards of one day processed on several machines must pseudonymize with the same key. Create the \
                keys of every key period (the policy's key_period_days) that overlaps --from..--to once, ship the \
                store to the machines, and run them with --no-new-keys: they read keys and refuse to make one. \
                Keys that exist are kept. `logward retain` destroys them as any other key.

                Example: logward keys create --keys /srv/logward/keys --policy groupsim-2009 --from 2026-11-01 --to 2026-11-30
                Exit 0; 2 bad options, rules or key store.
                """
        )

        @Option(name: .long, help: "Pseudonym key store directory (0700; created if missing). Default: $LOGWARD_KEYS or ~/.local/state/logward/keys.")
        var keys: String?

        @OptionGroup var rulesDirectory: RulesDirectory

        @Option(name: .long, help: "The policy version whose keys to create (see `logward policies`).")
        var policy: String

        @Option(name: .long, help: "First UTC day (YYYY-MM-DD).")
        var from: String

        @Option(name: .long, help: "Last UTC day (YYYY-MM-DD).")
        var to: String

        func validate() throws {
            guard let first = RulesLoader.parseDay(from) else { throw ValidationError("--from: '\(from)' is not YYYY-MM-DD") }
            guard let last = RulesLoader.parseDay(to) else { throw ValidationError("--to: '\(to)' is not YYYY-MM-DD") }
            guard first <= last else { throw ValidationError("--from \(from) is after --to \(to)") }
            guard last - first <= 3660 else { throw ValidationError("--from..--to spans more than ten years") }
        }

        func run() throws {
            let policies = try RulesLoader.load(directory: rulesDirectory.rules ?? RulesDirectory.defaultPath)
            guard let chosen = policies.policy(id: policy) else {
                throw RulesError(file: "--policy", line: nil, "no policy '\(policy)'; known: \(policies.policies.map(\.id).joined(separator: ", "))")
            }
            let store = try KeyStore(directory: keys ?? KeyStore.defaultLocation())
            let created = try store.createKeys(policy: chosen.id, periodDays: chosen.keyPeriodDays,
                                               fromDay: RulesLoader.parseDay(from)!, toDay: RulesLoader.parseDay(to)!)
            print("logward keys create: \(created.created) key(s) created, \(created.existing) already there, for \(chosen.id) "
                  + "(\(chosen.keyPeriodDays)-day periods) from \(from) to \(to) in \(store.directory)")
        }
    }
}
