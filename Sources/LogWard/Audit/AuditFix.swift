import Foundation
import LogWardJob
/// `audit --fix`: what retention would do, after the same report. In an archive: files the ledger does not
/// know are recorded (adopted), anonymized files that still hold identifiers are anonymized again in place,
/// then the retention plan runs. Outside an archive: a log past its raw window is replaced by its anonymized
/// form (staged beside it, verified, renamed), a log past its window is deleted. `--dry-run` lists the steps.
public struct AuditFix {
    public var auditor: Auditor
    public var keys: KeyStore?
    /// The audit trail for fixes outside an archive (an archive has its own `audit.jsonl`).
    public var trailPath: String
    public var dryRun: Bool
    public var asOf: String?

    public init(auditor: Auditor, keys: KeyStore?, trailPath: String, dryRun: Bool) {
        self.auditor = auditor
        self.keys = keys
        self.trailPath = trailPath
        self.dryRun = dryRun
    }

    public func apply(_ report: AuditReport, scopes: [Auditor.Scope]) throws -> (done: [RetentionAction], failures: [String]) {
        var done: [RetentionAction] = []
        var failures: [String] = []
        for scope in scopes {
            let result = try scope.archive.map { try fixArchive($0, scope: scope) } ?? fixLogs(scope, report: report)
            done += result.done
            failures += result.failures
        }
        return (done, failures)
    }

    private func fixArchive(_ archive: Archive, scope: Auditor.Scope) throws -> (done: [RetentionAction], failures: [String]) {
        let keysDirectory = auditor.keysDirectory ?? archive.root + "/keys"
        let keys = FileManager.default.fileExists(atPath: keysDirectory) || !dryRun ? try KeyStore(directory: keysDirectory) : nil
        let planner = RetentionPlanner(archive: archive, policies: auditor.policies, keys: keys, now: auditor.now)
        var adopted: [ArchivedFile] = []
        var steps: [RetentionAction] = []
        for file in scope.files where file.inLedger == false && file.error == nil {
            let components = file.path.split(separator: "/")
            var info = stat()
            lstat(archive.root + "/" + file.path, &info)
            let record = ArchivedFile(
                path: file.path, kind: file.role == .raw ? .raw : .anonymized, inputSHA256: file.sha256 ?? "", sha256: file.sha256 ?? "",
                size: Int64(info.st_size), lines: file.lines, firstEpoch: file.firstEpoch, newestEpoch: file.newestEpoch,
                policies: file.policies.keys.sorted(), format: file.format, site: file.site, forcedPolicy: auditor.forcedPolicy,
                label: components.count > 1 ? String(components[1]) : "adopted", createdEpoch: auditor.now)
            adopted.append(record)
            steps.append(RetentionAction(kind: .adopt, path: file.path, policies: record.policies,
                                         reason: "recorded in the ledger so retention can judge it (\(file.lines) lines)"))
        }
        let ledger = try Ledger(path: archive.ledgerPath)
        let files = (try ledger.files() + adopted).sorted { $0.path < $1.path }
        let plan = planner.plan(files: files)
        let leaving = Set(plan.map(\.path))
        for file in scope.files where file.role == .anonymized && !file.findings.isEmpty && !leaving.contains(file.path) {
            steps.append(RetentionAction(kind: .reanonymize, path: file.path, policies: file.policies.keys.sorted(),
                                         reason: "holds identifiers: \(file.findings.summary)"))
        }
        steps += plan
        guard !dryRun else { return (steps, []) }

        let session = try ArchiveSession(archive: archive, ledger: ledger)
        defer { session.end() }
        let (runner, _) = try session.retention(policies: auditor.policies, keys: keys, now: auditor.now, asOf: asOf)
        var done: [RetentionAction] = []
        var failures: [String] = []
        let records = Dictionary(files.map { ($0.path, $0) }, uniquingKeysWith: { a, _ in a })
        for step in steps where step.kind == .adopt || step.kind == .reanonymize {
            do {
                guard var record = records[step.path] else { continue }
                if step.kind == .adopt {
                    try ledger.add([record])
                    try runner.event("adopt", step.path, step.policies, before: nil, after: record.sha256, reason: step.reason)
                } else {
                    let path = try archive.absolutePath(step.path)
                    let product = try anonymize(path, record: record, staging: archive.stagingPath(suffix: ".log.gz"), keys: keys)
                    _ = try archive.moveIntoPlace(product.staging, relative: step.path)
                    let before = record.sha256
                    record.sha256 = product.verified.sha256
                    record.size = product.verified.size
                    record.lines = product.verified.lines
                    try ledger.add([record])
                    try runner.event("reanonymize", step.path, step.policies, before: before, after: record.sha256, reason: step.reason)
                }
                done.append(step)
            } catch {
                failures.append("\(step.kind.rawValue) \(step.path): \(error)")
            }
        }
        let outcome = runner.execute(plan, files: try ledger.files())
        // Anonymizing old data again may have made keys for periods already past their window: shred them now.
        let late = planner.plan(files: try ledger.files()).filter { $0.kind == .destroyKey }
        let shredded = runner.execute(late, files: [])
        return (done + outcome.done + shredded.done, failures + (outcome.failures + shredded.failures).map(\.description))
    }

    private func fixLogs(_ scope: Auditor.Scope, report: AuditReport) throws -> (done: [RetentionAction], failures: [String]) {
        var steps: [RetentionAction] = []
        for file in scope.files {
            let mine = report.violations.filter { $0.file == file.path }
            if let past = mine.first(where: { $0.kind == .pastWindow }) {
                steps.append(RetentionAction(kind: .deleteLog, path: file.path, policies: past.policies, reason: past.message))
            } else if let raw = mine.first(where: { $0.kind == .rawPastWindow }) {
                steps.append(RetentionAction(kind: .rewriteLog, path: file.path, policies: raw.policies, reason: raw.message))
            }
        }
        guard !dryRun, !steps.isEmpty else { return (steps, []) }
        let trail = try AuditTrail(path: trailPath)
        var done: [RetentionAction] = []
        var failures: [String] = []
        let byPath = Dictionary(scope.files.map { ($0.path, $0) }, uniquingKeysWith: { a, _ in a })
        for step in steps {
            do {
                let before = try FileDigest.sha256(of: step.path)
                var after: String?
                if step.kind == .deleteLog {
                    guard unlink(step.path) == 0 else { throw OutputError(path: step.path, reason: String(cString: strerror(errno))) }
                    AtomicFile.syncDirectory(of: step.path)
                } else {
                    let directory = (step.path as NSString).deletingLastPathComponent
                    let name = (step.path as NSString).lastPathComponent
                    let staging = (directory.isEmpty ? "." : directory) + "/.\(name).logward-\(UUID().uuidString.lowercased())"
                        + (name.hasSuffix(".gz") ? ".gz" : "")
                    let product = try anonymize(step.path, record: nil, staging: staging, format: byPath[step.path]?.format, keys: keys)
                    guard rename(product.staging, step.path) == 0 else {
                        unlink(product.staging)
                        throw OutputError(path: step.path, reason: "rename: " + String(cString: strerror(errno)))
                    }
                    AtomicFile.syncDirectory(of: step.path)
                    after = product.verified.sha256
                }
                try trail.append(AuditTrail.Event(time: Timestamp.iso8601UTC(Int64(Date().timeIntervalSince1970)), action: step.kind.rawValue,
                                                  file: step.path, policies: step.policies, sha256Before: before, sha256After: after,
                                                  reason: step.reason, asOf: asOf))
                done.append(step)
            } catch {
                failures.append("\(step.kind.rawValue) \(step.path): \(error)")
            }
        }
        // Rewriting old logs may have made keys for periods already past their window: shred them now, as in an
        // archive (no raw file outside an archive is known to need them).
        if let keys {
            let planner = RetentionPlanner(archive: Archive(root: keys.directory), policies: auditor.policies, keys: keys, now: auditor.now)
            for action in planner.keyActions(remainingRaw: []) where action.kind == .destroyKey {
                let period = ((action.path as NSString).lastPathComponent as NSString).deletingPathExtension
                let path = keys.keyPath(policy: action.policies[0], period: period)
                do {
                    guard try keys.destroy(policy: action.policies[0], period: period) else { continue }
                    try trail.append(AuditTrail.Event(time: Timestamp.iso8601UTC(Int64(Date().timeIntervalSince1970)), action: "destroy-key",
                                                      file: path, policies: action.policies, sha256Before: nil, sha256After: nil,
                                                      reason: action.reason, asOf: asOf))
                    done.append(RetentionAction(kind: .destroyKey, path: path, policies: action.policies, reason: action.reason))
                } catch {
                    failures.append("destroy-key \(path): \(error)")
                }
            }
        }
        return (done, failures)
    }

    private func anonymize(_ path: String, record: ArchivedFile?, staging: String, format: String? = nil,
                           keys: KeyStore?) throws -> ArchivePass.Product {
        guard let keys else {
            throw ArchiveError.io(path: path, reason: "anonymizing needs a key store (--keys DIR)")
        }
        let formatText = record?.format ?? format ?? auditor.format.source
        var pass = ArchivePass(policies: auditor.policies, keys: keys, format: try LogFormat(formatText))
        pass.site = auditor.site ?? record?.site
        pass.forcedPolicy = auditor.forcedPolicy ?? record?.forcedPolicy
        return try pass.run(input: path, staging: staging)
    }
}
