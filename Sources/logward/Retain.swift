import ArgumentParser
import Foundation
import LogWard

struct Retain: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Move archived files through their policy's phases: rewrite raw, delete expired files, destroy keys.",
        discussion: """
            Each file is aged by its newest line and judged by the shortest window among the policies that governed \
            its lines. When the raw window ends, the raw file is anonymized (staged, fsynced, read back, line count \
            verified, renamed) and only then deleted; anonymized files past their window are deleted; a key is \
            destroyed once its period plus key_days has passed and no raw file still needs it, so its pseudonyms \
            can never be linked again. Every step is appended to archive/audit.jsonl. Links are never followed; \
            nothing outside the archive is touched; an archive whose raw data others can read is refused.

            --dry-run prints the plan a real run would carry out and changes nothing.

            Example: logward retain --archive /var/lib/logward/archive --dry-run
            Exit 0; 1 a step failed; 2 bad options, rules or archive permissions; 3 the archive cannot be read or \
            written (a read-only or full file system); 4 another run holds the lock.
            """
    )

    @OptionGroup var location: ArchiveOptions

    @OptionGroup var now: NowOption

    @Flag(name: .customLong("dry-run"), help: "Print the plan; change nothing.")
    var dryRun = false

    @Flag(name: .long, help: "Print the plan or the steps taken as JSON.")
    var json = false

    func run() throws {
        let (store, policies, keyStore, _) = try location.resolve()
        let instant = try now.epoch()
        guard !dryRun else {
            let plan = RetentionPlanner(archive: store, policies: policies, keys: keyStore, now: instant).plan(files: try Ledger(path: store.ledgerPath).files())
            try print(Self.render(plan, json: json, heading: "plan (dry run, nothing changed)"), terminator: "")
            return
        }
        let session = try ArchiveSession(archive: store)
        defer { session.end() }
        let (runner, finished) = try session.retention(policies: policies, keys: keyStore, now: instant, asOf: now.now)
        for step in finished {
            StandardError.write("logward: retain: finished a step an interrupted run began: \(step.action) \(step.path)\n")
        }
        let outcome = try session.retain(with: runner)
        try print(Self.render(outcome.done, json: json, heading: "done"), terminator: "")
        for failure in outcome.failures { StandardError.write("logward: retain: \(failure)\n") }
        if !outcome.failures.isEmpty { throw ExitCode(ExitStatus.violations.rawValue) }
    }

    static func render(_ actions: [RetentionAction], json: Bool, heading: String) throws -> String {
        if json {
            return try ReportJSON.text(actions)
        }
        if actions.isEmpty { return "retention \(heading): nothing to do\n" }
        return "retention \(heading): \(actions.count) step(s)\n" + actions.map { "  " + $0.line + "\n" }.joined()
    }
}
