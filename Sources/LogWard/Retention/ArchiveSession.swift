import LogWardReport
/// How every command that changes an archive begins, in one order: the folders made, the lock taken for the
/// session, staging cleared (whatever is there under the lock was left by a killed run), the ledger and audit trail
/// opened; then, before anything else, what a killed retention began is finished (`retention` gives the runner).
/// `run`, `retain`, `audit --fix` and `erase --apply` all start here.
public final class ArchiveSession {
    public let archive: Archive
    public let ledger: Ledger
    public let trail: AuditTrail
    /// Files a killed run left in staging, removed as the session began.
    public let stagingFilesRemoved: Int
    private let lock: ArchiveLock

    /// Takes the archive's lock (`ArchiveError.busy`, exit 4, when another run holds it). `ledger`: one already open.
    public init(archive: Archive, ledger: Ledger? = nil) throws {
        self.archive = archive
        try archive.prepare()
        lock = try ArchiveLock(archive: archive.root)
        stagingFilesRemoved = try archive.clearStaging()
        self.ledger = try ledger ?? Ledger(path: archive.ledgerPath)
        trail = try AuditTrail(path: archive.auditPath)
    }

    /// The session's retention runner, after it has finished what an interrupted retention began (returned, so the
    /// caller can report it).
    public func retention(policies: PolicySet, keys: KeyStore?, now: Int64, asOf: String?,
                          configure: (inout RetentionRunner) -> Void = { _ in }) throws -> (runner: RetentionRunner, finished: [Ledger.Intent]) {
        var runner = RetentionRunner(archive: archive, policies: policies, keys: keys, ledger: ledger, trail: trail, now: now)
        runner.asOf = asOf
        configure(&runner)
        return (runner, try runner.reconcile())
    }

    /// Plans retention over every file the ledger holds and carries it out.
    public func retain(with runner: RetentionRunner) throws -> RetentionRunner.Outcome {
        let files = try ledger.files()
        let plan = RetentionPlanner(archive: archive, policies: runner.policies, keys: runner.keys, now: runner.now).plan(files: files)
        return runner.execute(plan, files: files)
    }

    /// Holds the lock until the caller is done with the session.
    public func end() { withExtendedLifetime(lock) {} }
}
