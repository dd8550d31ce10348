import ArgumentParser
import Foundation
import LogWard

struct Erase: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Remove one person's lines from the archive's raw and pseudonymized files and from the statistics.",
        discussion: """
            The person is named by --client (an address or host name), --user (the remote user) or --email, for one \
            --site, optionally between --from and --to (UTC days, inclusive). A raw file loses every line whose client \
            field or remote user is the person's, or that holds their address or e-mail as a whole token; a \
            pseudonymized file loses every line holding one of their pseudonyms under a key that still exists. \
            Where a file's keys are destroyed, its lines can no longer be linked to the person, and the report says \
            so. Each changed file is rewritten (staged, fsynced, read back, recorded in the ledger, renamed); the \
            statistics of an input with a raw copy are recounted from the rewritten copy, otherwise (--client) the \
            person's visitor codes leave the day's visitor sets and the distinct counts are recomputed. The audit \
            trail records the request as a keyed digest, never the identifier.

            A dry run by default: it prints what would be removed and changes nothing. --apply carries it out.

            Example: logward erase --config /etc/logward.yaml --site 123together.com --email ann@example.com --apply
            Exit 0; 2 bad options, rules or archive permissions; 3 a file cannot be read or written; 4 another run \
            holds the lock.
            """
    )

    @OptionGroup var location: ArchiveOptions

    @Option(name: .long, help: "The site whose lines go (its virtual host, or the site its files were archived for).")
    var site: String

    @Option(name: .long, help: "The person's client address or host name.")
    var client: String?

    @Option(name: .long, help: "The person's remote user name.")
    var user: String?

    @Option(name: .long, help: "The person's e-mail address (found as written, %40-encoded, or pseudonymized).")
    var email: String?

    @Option(name: .long, help: "First UTC day whose lines go (YYYY-MM-DD).")
    var from: String?

    @Option(name: .long, help: "Last UTC day whose lines go (YYYY-MM-DD).")
    var to: String?

    @Option(name: .long, help: "Time zone of the statistics' days (default: the config's, else UTC).")
    var timezone: String?

    @Flag(name: .customLong("dry-run"), help: "Print what would be removed; change nothing (the default).")
    var dryRun = false

    @Flag(name: .long, help: "Carry the erasure out.")
    var apply = false

    @Flag(name: .long, help: "Print the outcome as JSON.")
    var json = false

    func validate() throws {
        guard [client, user, email].compactMap({ $0 }).count == 1 else {
            throw ValidationError("name the person by exactly one of --client, --user, --email")
        }
        guard !(dryRun && apply) else { throw ValidationError("--dry-run and --apply exclude each other") }
        for (name, value) in [("--from", from), ("--to", to)] {
            if let value, RulesLoader.parseDay(value) == nil { throw ValidationError("\(name): '\(value)' is not YYYY-MM-DD") }
        }
        if let timezone, StatsTimeZone(timezone) == nil { throw ValidationError("--timezone: unknown time zone '\(timezone)'") }
    }

    var identifier: ErasureRequest.Identifier {
        if let client { return .client(client) }
        if let user { return .user(user) }
        return .email(email ?? "")
    }

    func run() throws {
        let (store, policies, keyStore, settings) = try location.resolve()
        let zone = timezone.flatMap(StatsTimeZone.init) ?? settings?.timeZone ?? .utc
        let statsDatabase = settings?.stats.sqlite
        let session = apply ? try ArchiveSession(archive: store) : nil
        defer { session?.end() }
        var erasure = Erasure(archive: store, policies: policies, keys: keyStore, ledger: try session?.ledger ?? Ledger(path: store.ledgerPath),
                              trail: session?.trail)
        erasure.statsDatabase = statsDatabase ?? store.root + "/stats.sqlite"
        erasure.timeZone = zone
        let request = ErasureRequest(site: site, identifier: identifier, fromDay: from.flatMap(RulesLoader.parseDay),
                                     toDay: to.flatMap(RulesLoader.parseDay))
        var report = try erasure.run(request)
        // The PostgreSQL store holds the same numbers: the inputs the store recorded as restated replace theirs there.
        // Unreachable, it keeps them until a run reaches it (the record stays in SQLite): the erasure says so, exit 3.
        var unpublished: (any Error)?
        if apply, report.removed > 0, let sinks = settings?.stats, sinks.postgres != nil, let database = erasure.statsDatabase,
           FileManager.default.fileExists(atPath: database) {
            do {
                if let outcome = try sinks.publish(from: try StatsStore(path: database)) {
                    report.statistics.append("PostgreSQL store: \(outcome.merged) input(s) copied with their recounted statistics")
                }
            } catch {
                unpublished = error
                report.statistics.append("PostgreSQL store: not updated (\(OutputError.reason(error))); the next run that reaches it copies the recounted inputs")
            }
        }
        print(json ? try ReportJSON.text(report) : Self.render(report), terminator: "")
        if let unpublished { throw unpublished }
    }

    static func render(_ report: Erasure.Report) -> String {
        let verb = report.dryRun ? "would remove" : "removed"
        var text = "logward erase\(report.dryRun ? " (dry run, nothing changed; --apply carries it out)" : ""): \(verb) "
            + "\(report.removed) line(s) from \(report.files.filter { $0.removed > 0 }.count) of \(report.files.count) file(s) searched\n"
        if let digest = report.request { text += "  request digest (audit trail): \(digest.prefix(16))\n" }
        for file in report.files where file.removed > 0 || file.note != nil {
            text += "  \(file.path): \(file.removed) of \(file.lines) line(s)" + (file.note.map { "; \($0)" } ?? "") + "\n"
        }
        for line in report.statistics { text += "  statistics: \(line)\n" }
        return text
    }
}
