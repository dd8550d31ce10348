import Foundation
import LogWardReport

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
    public var codec = GzipCodec.preferred

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
                    try carryOut(intent(action.kind.rawValue, action.path, action.policies, before: before, reason: action.reason))
                case .destroyKey:
                    // A key some failed rewrite may still need stays.
                    guard keys != nil, !failedRewrites.contains(action.policies[0]) else {
                        throw ArchiveError.io(path: action.path, reason: "kept: a rewrite of its policy failed in this run")
                    }
                    try carryOut(intent(action.kind.rawValue, action.path, action.policies, before: nil, reason: action.reason))
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
        pass.codec = codec
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
        try carryOut(intent("delete-raw", file.path, file.policies, before: before, reason: "replaced by \(relative)"))
    }

    private func intent(_ action: String, _ path: String, _ policies: [String], before: String?, reason: String) -> Ledger.Intent {
        Ledger.Intent(action: action, path: path, policies: policies, sha256Before: before, reason: reason, recorded: Self.clock())
    }

    /// A deletion or key destruction as a write-ahead log does it: the intent is durable in the ledger first, then
    /// the act, then its audit entry, then the intent is cleared. A kill anywhere leaves an intent that
    /// `reconcile` finishes, so the act is never done without its one audit entry.
    private func carryOut(_ intent: Ledger.Intent) throws {
        try ledger.recordIntent(intent)
        try act(intent)
        try event(intent.action, intent.path, intent.policies, before: intent.sha256Before, after: nil, reason: intent.reason)
        try ledger.completeIntent(action: intent.action, path: intent.path, removing: intent.action == "destroy-key" ? nil : intent.path)
    }

    /// The act itself; done again on a file or key already gone, it does nothing.
    private func act(_ intent: Ledger.Intent) throws {
        if intent.action == "destroy-key" {
            guard let keys else { throw ArchiveError.io(path: intent.path, reason: "destroying a key needs the key store") }
            let parts = intent.path.split(separator: "/")
            guard parts.count == 3, parts[0] == "keys", parts[2].hasSuffix(".key") else {
                throw ArchiveError.io(path: intent.path, reason: "not a key path")
            }
            try keys.destroy(policy: String(parts[1]), period: String(parts[2].dropLast(4)))
            CrashPoint.keyDestroyed.reach()
        } else {
            try archive.delete(intent.path)
            CrashPoint.rawDeleted.reach()
        }
    }

    /// Finishes what a killed run began: every intent still recorded is carried out (its act is idempotent) and
    /// gets its audit entry unless the trail already has one written since the intent. Run under the lock,
    /// before planning. Returns the steps it finished.
    public func reconcile() throws -> [Ledger.Intent] {
        let pending = try ledger.intents()
        guard !pending.isEmpty else { return [] }
        let trailEvents = try AuditTrail.read(path: trail.path)
        for intent in pending {
            try act(intent)
            let logged = trailEvents.contains { $0.action == intent.action && $0.file == intent.path && $0.time >= intent.recorded }
            if !logged {
                try event(intent.action, intent.path, intent.policies, before: intent.sha256Before, after: nil, reason: intent.reason)
            }
            try ledger.completeIntent(action: intent.action, path: intent.path, removing: intent.action == "destroy-key" ? nil : intent.path)
        }
        return pending
    }

    static func clock() -> String { Timestamp.iso8601UTC(Int64(Date().timeIntervalSince1970)) }

    package func event(_ action: String, _ path: String, _ policies: [String], before: String?, after: String?, reason: String) throws {
        try trail.append(AuditTrail.Event(time: Self.clock(), action: action, file: path,
                                          policies: policies, sha256Before: before, sha256After: after, reason: reason, asOf: asOf))
    }
}
