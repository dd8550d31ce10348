import Foundation

/// Carries out a retention plan, step by step, each step durable before the next: a rewrite is written,
/// fsynced, read back and recorded before its raw file is deleted; every step is appended to the audit trail.
/// A step that fails is reported and the others go on (a failed rewrite keeps its raw file and its keys).
public struct RetentionRunner {
    public struct Failure: Sendable, Error, CustomStringConvertible {
        public var action: RetentionAction
        public var reason: String
        public var description: String { "\(action.kind.rawValue) \(action.path): \(reason)" }
    }

    public struct Outcome: Sendable {
        public var done: [RetentionAction] = []
        public var failures: [Failure] = []
    }

    public var archive: Archive
    public var policies: PolicySet
    public var keys: KeyStore?
    public var ledger: Ledger
    public var trail: AuditTrail
    public var now: Int64
    /// `--now` as given, recorded in audit events when retention judged by a date other than the clock.
    public var asOf: String?
    public var threads = 2
    public var compressionLevel: Int32 = 6

    public init(archive: Archive, policies: PolicySet, keys: KeyStore?, ledger: Ledger, trail: AuditTrail, now: Int64) {
        self.archive = archive
        self.policies = policies
        self.keys = keys
        self.ledger = ledger
        self.trail = trail
        self.now = now
    }

    public func execute(_ plan: [RetentionAction], files: [ArchivedFile]) -> Outcome {
        var outcome = Outcome()
        let byPath = Dictionary(files.map { ($0.path, $0) }, uniquingKeysWith: { first, _ in first })
        var failedRewrites: Set<String> = []
        for action in plan {
            do {
                switch action.kind {
                case .rewriteRaw:
                    guard let file = byPath[action.path] else { throw ArchiveError.io(path: action.path, reason: "not in the ledger") }
                    do {
                        try rewrite(file)
                    } catch {
                        failedRewrites.formUnion(file.policies)
                        throw error
                    }
                case .deleteRaw, .deleteAnonymized:
                    let path = try archive.absolutePath(action.path)
                    let before = try FileDigest.sha256(of: path)
                    try archive.delete(action.path)
                    try event(action.kind.rawValue, action.path, action.policies, before: before, after: nil, reason: action.reason)
                    try ledger.remove(path: action.path)
                case .destroyKey:
                    // A key some failed rewrite may still need stays.
                    guard let keys, !failedRewrites.contains(action.policies[0]) else {
                        throw ArchiveError.io(path: action.path, reason: "kept: a rewrite of its policy failed in this run")
                    }
                    let parts = action.path.split(separator: "/")
                    let period = String(parts[2].dropLast(4))
                    try keys.destroy(policy: String(parts[1]), period: period)
                    try event(action.kind.rawValue, action.path, action.policies, before: nil, after: nil, reason: action.reason)
                case .forget:
                    try event(action.kind.rawValue, action.path, action.policies, before: byPath[action.path]?.sha256, after: nil,
                              reason: action.reason)
                    try ledger.remove(path: action.path)
                case .adopt, .reanonymize, .rewriteLog, .deleteLog:
                    throw ArchiveError.io(path: action.path, reason: "not a retention step")
                }
                outcome.done.append(action)
                if outcome.done.count == 1 { CrashPoint.afterFirstRetentionStep.reach() }
            } catch {
                outcome.failures.append(Failure(action: action, reason: "\(error)"))
            }
        }
        return outcome
    }

    /// Raw -> anonymized: verify the raw file is what the ledger recorded, anonymize it to staging, read the
    /// result back, move it into `anon/`, record it, and only then delete the raw file.
    private func rewrite(_ file: ArchivedFile) throws {
        guard let keys else { throw ArchiveError.io(path: file.path, reason: "rewriting needs the key store") }
        let rawPath = try archive.absolutePath(file.path)
        let before = try FileDigest.sha256(of: rawPath)
        guard before == file.sha256 else {
            throw ArchiveError.io(path: file.path, reason: "its SHA-256 differs from the ledger's; left untouched for inspection")
        }
        var pass = ArchivePass(policies: policies, keys: keys, format: try LogFormat(file.format))
        pass.site = file.site
        pass.forcedPolicy = file.forcedPolicy
        pass.threads = threads
        pass.compressionLevel = compressionLevel
        let product = try pass.run(input: rawPath, staging: archive.stagingPath(suffix: ".log.gz"))
        CrashPoint.rewriteStaged.reach()
        guard product.report.lines == file.lines else {
            throw ArchiveError.io(path: file.path, reason: "read \(product.report.lines) lines, the ledger recorded \(file.lines)")
        }
        var name = String(file.path.split(separator: "/").last!)
        if !name.hasSuffix(".gz") { name += ".gz" }
        let relative = Archive.relativePath(.anonymized, label: file.label, newestEpoch: file.ageEpoch, name: name)
        _ = try archive.moveIntoPlace(product.staging, relative: relative)
        CrashPoint.rewriteInPlace.reach()
        var anonymized = file
        anonymized.path = relative
        anonymized.kind = .anonymized
        anonymized.sha256 = product.verified.sha256
        anonymized.size = product.verified.size
        anonymized.lines = product.verified.lines
        anonymized.createdEpoch = now
        try ledger.add([anonymized])
        try event("rewrite-raw", relative, file.policies, before: before, after: product.verified.sha256,
                  reason: "anonymized copy of \(file.path) (\(product.verified.lines) lines of \(file.lines), read back and verified)")
        try archive.delete(file.path)
        CrashPoint.rawDeleted.reach()
        try event("delete-raw", file.path, file.policies, before: before, after: nil, reason: "replaced by \(relative)")
        try ledger.remove(path: file.path)
    }

    func event(_ action: String, _ path: String, _ policies: [String], before: String?, after: String?, reason: String) throws {
        try trail.append(AuditTrail.Event(time: Timestamp.iso8601UTC(Int64(Date().timeIntervalSince1970)), action: action, file: path,
                                          policies: policies, sha256Before: before, sha256After: after, reason: reason, asOf: asOf))
    }
}
