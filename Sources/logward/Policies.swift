import Foundation
import ArgumentParser
import LogWard

struct Policies: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List the policy versions in the rules directory: id, sites, effective date, audience.",
        discussion: "Example: logward policies --rules /etc/logward/rules"
    )

    @Option(name: .long, help: "Directory of rules files (one YAML file per policy version).")
    var rules = ProcessInfo.processInfo.environment["LOGWARD_RULES"] ?? "rules"

    func run() throws {
        let set = try RulesLoader.load(directory: rules)
        print(PolicyListing.table(set), terminator: "")
    }
}

struct Explain: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print each field's action under a policy version, with the promise it serves.",
        discussion: "Example: logward explain --policy 123together-2007"
    )

    @Option(name: .long, help: "Directory of rules files (one YAML file per policy version).")
    var rules = ProcessInfo.processInfo.environment["LOGWARD_RULES"] ?? "rules"

    @Option(name: .long, help: "Policy version id (see logward policies).")
    var policy: String

    func run() throws {
        let set = try RulesLoader.load(directory: rules)
        guard let found = set.policy(id: policy) else {
            throw ValidationError("no policy '\(policy)'; known: \(set.policies.map(\.id).joined(separator: ", "))")
        }
        print(PolicyListing.explain(found), terminator: "")
    }
}
