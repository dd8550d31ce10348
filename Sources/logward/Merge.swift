import ArgumentParser
import Foundation
import LogWard

struct Merge: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Unite statistics stores (the partial stores of shards, e.g. one per Spark task) exactly.",
        discussion: """
            Every input file counted in an INPUT store and not yet in --sqlite (same site and content) is copied \
            with its days, breakdown rows and visitor sets; a file already there is skipped, as a re-run is. \
            Distinct visitors, of a day and of each breakdown row, are recounted over the united visitor sets, so \
            merging in any order or grouping gives the same numbers as one `logward stats` over all the files. \
            Inputs are only read (an older schema is migrated in a temporary copy). Each INPUT is one transaction: \
            a failure leaves the output as the inputs before it made it.

            Example: logward merge --sqlite stats.sqlite partial-*.sqlite
            Exit 0; 2 bad options or an output that is an input; 3 a store cannot be read or written.
            """
    )

    @Option(name: .long, help: "The store to merge into (created 0600 if missing).")
    var sqlite: String

    @Argument(help: "Statistics stores to merge in.")
    var inputs: [String]

    func run() throws {
        try OutputCollision.check(outputs: [("--sqlite", sqlite), ("--sqlite", sqlite + "-journal")], inputs: inputs)
        for input in inputs where !FileManager.default.isReadableFile(atPath: input) {
            throw InputError.cannotOpen(path: input, reason: "no such readable file")
        }
        let store = try StatsStore(path: sqlite)
        var total = StatsStore.MergeOutcome()
        for input in inputs {
            let outcome = try store.merge(from: input)
            total.merged += outcome.merged
            total.skipped += outcome.skipped
        }
        print("logward merge: \(total.merged) file(s) merged, \(total.skipped) already present, from \(inputs.count) store(s) into \(sqlite)")
    }
}
