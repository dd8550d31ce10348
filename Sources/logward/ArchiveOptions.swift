import ArgumentParser
import Foundation
import LogWard

/// `--archive DIR | --config FILE`, `--rules`, `--keys`: which archive a command works on; shared by `retain`
/// and `erase`.
struct ArchiveOptions: ParsableArguments {
    @Option(name: .long, help: "The archive directory.")
    var archive: String?

    @Option(name: .long, help: "Take archive, rules, keys (and for erase, statistics and time zone) from the nightly job's config.")
    var config: String?

    @OptionGroup var rulesDirectory: RulesDirectory

    @Option(name: .long, help: "Pseudonym key store (default: <archive>/keys).")
    var keys: String?

    func validate() throws {
        guard (archive == nil) != (config == nil) else { throw ValidationError("name the archive: --archive DIR or --config FILE") }
    }

    /// The archive (checked: a ledger, private permissions), its rules, its key store (nil when it has none yet)
    /// and the config when one was named.
    func resolve() throws -> (archive: Archive, policies: PolicySet, keys: KeyStore?, settings: RunConfig?) {
        let settings = try config.map { try RunConfig.load(path: $0) }
        let store = Archive(root: settings?.archive ?? archive ?? "")
        guard FileManager.default.fileExists(atPath: store.ledgerPath) else { throw ArchiveError.notAnArchive(path: store.root) }
        try store.checkPermissions()
        let policies = try RulesLoader.load(directory: rulesDirectory.rules ?? settings?.rulesDirectory ?? RulesDirectory.defaultPath)
        let keyDirectory = keys ?? settings?.keys ?? store.root + "/keys"
        let keyStore = FileManager.default.fileExists(atPath: keyDirectory) ? try KeyStore(directory: keyDirectory) : nil
        return (store, policies, keyStore, settings)
    }
}
