import ArgumentParser
import Foundation
import LogWard

struct Audit: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The compliance run: find, in an archive or any folder of logs, what breaks each site's privacy promise.",
        discussion: """
            Every file is read (gzip or plain; years of them), each line judged by the policy version of its site \
            in force at its date. Reported, with file and line numbers but never the values: raw data past its raw \
            window, identifiers (addresses, e-mails, user names, account ids, cookies...) left where the policy's \
            anonymized form has none, data past its window, pseudonym keys that should have been destroyed, and \
            archive files the ledger does not know. In a logward archive (a folder with ledger.sqlite) the ledger \
            says each file's format and site; elsewhere --format and --site do.

            --fix then applies what retention would (see 'logward retain'); with --dry-run it lists the steps \
            and changes nothing. Outside an archive, --fix replaces a log past its raw window by its anonymized \
            form and deletes a log past its window, recording each step in --trail.

            Examples:
              logward audit /var/lib/logward/archive
              logward audit --site music123.com --format combined /srv/old-logs --json > audit.json
              logward audit /var/lib/logward/archive --fix --dry-run

            Exit 0 no violations (after --fix: none left); 1 violations; 2 bad options or rules; 3 a file cannot be \
            read, or (--fix) written; 4 archive locked.
            """
    )

    @Argument(help: "Archives, folders or files to audit.")
    var paths: [String]

    @Option(name: .long, help: "Log format of files the ledger does not describe.")
    var format = "combined"

    @OptionGroup var rulesDirectory: RulesDirectory

    @OptionGroup var selection: PolicySelection
    var policy: String? { selection.policy }
    var site: String? { selection.site }

    @Option(name: .long, help: "Pseudonym key store (default: <archive>/keys in an archive, else $LOGWARD_KEYS or ~/.local/state/logward/keys).")
    var keys: String?

    @OptionGroup var now: NowOption

    @Flag(name: .long, help: "Print the report as JSON.")
    var json = false

    @Flag(name: .long, help: "Apply what retention would do, after the report.")
    var fix = false

    @Flag(name: .customLong("dry-run"), help: "With --fix: list the steps, change nothing.")
    var dryRun = false

    @Option(name: .long, help: "Audit trail for --fix outside an archive.")
    var trail = "logward-audit.jsonl"

    func validate() throws {
        if dryRun && !fix { throw ValidationError("--dry-run goes with --fix") }
        do { _ = try LogFormat(format) } catch { throw ValidationError("--format: \(error)") }
    }

    func run() throws {
        if fix { try OutputCollision.check(outputs: [("--trail", trail)], inputs: paths + RulesLoader.files(directory: rulesDirectory.rules ?? RulesDirectory.defaultPath)) }
        let policies = try rulesDirectory.load()
        _ = try PolicyChoice(set: policies, forcedPolicy: policy, site: site)
        var auditor = Auditor(policies: policies, format: try LogFormat(format), now: try now.epoch())
        auditor.site = site?.lowercased()
        auditor.forcedPolicy = policy
        auditor.keysDirectory = keys
        var (report, scopes) = try auditor.audit(paths: paths)
        var status: ExitStatus = report.isClean ? .ok : .violations
        if fix {
            var fixer = AuditFix(auditor: auditor, keys: dryRun ? nil : try KeyStore(directory: keys ?? KeyStore.defaultLocation()),
                                 trailPath: trail, dryRun: dryRun)
            fixer.asOf = now.now
            let (done, failures) = try fixer.apply(report, scopes: scopes)
            report.fixes = done
            report.fixFailures = failures
            if !dryRun {
                let after = try auditor.audit(paths: paths).0
                status = after.isClean && failures.isEmpty ? .ok : .violations
                report.violationsAfterFix = after.violations
            }
        }
        print(json ? try report.json() : report.text, terminator: "")
        if status != .ok { throw ExitCode(status.rawValue) }
    }
}
