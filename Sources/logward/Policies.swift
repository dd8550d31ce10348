import Foundation
import ArgumentParser
import LogWard

struct Policies: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List the policy versions in the rules directory: id, sites, effective date, audience.",
        discussion: "Example: logward policies --rules /etc/logward/rules"
    )

    @OptionGroup var rulesDirectory: RulesDirectory

    func run() throws {
        let set = try rulesDirectory.load()
        print(PolicyListing.table(set), terminator: "")
    }
}

struct Explain: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print each field's action under a policy version, with the promise it serves.",
        discussion: "Example: logward explain --policy 123together-2007"
    )

    @OptionGroup var rulesDirectory: RulesDirectory

    @Option(name: .long, help: "Policy version id (see logward policies).")
    var policy: String

    func run() throws {
        let set = try rulesDirectory.load()
        guard let found = set.policy(id: policy) else {
            throw ValidationError("no policy '\(policy)'; known: \(set.policies.map(\.id).joined(separator: ", "))")
        }
        print(PolicyListing.explain(found), terminator: "")
    }
}
