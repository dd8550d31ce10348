import Foundation
import LogWardRetention
/// `logward run`: under the archive lock, process every input not yet in the ledger (one pass: anonymized file
/// into the archive, statistics into the store, optionally a raw copy), then enforce retention, then report.
/// Safe to kill at any point: outputs are staged and renamed into place under names fixed by the input's
/// content, statistics are stored under the input's SHA-256, and the ledger row that marks an input done is
/// written last; a re-run redoes exactly the unfinished input and ends with the same bytes.
public struct NightlyRun {
    public var config: RunConfig
    /// The instant retention judges by (the clock unless `--now`).
    public var now: Int64
    public var asOf: String?
    /// Inputs (absolute, standardized paths) to process again although the ledger has their content: their
    /// statistics are replaced, their archive files rewritten, and the audit trail records why.
    public var reprocess: Set<String> = []
    /// `--report FILE`, checked with the other outputs before anything is done.
    public var report: String?
    /// Told the bytes read of each input as its pass goes (a progress line on a terminal).
    public var progress: ((_ path: String, _ bytesRead: Int64) -> Void)?

    public init(config: RunConfig, now: Int64, asOf: String? = nil) {
        self.config = config
        self.now = now
        self.asOf = asOf
    }

    /// Refuses a config whose inputs name a policy or site no rules file has; returns warnings for settings that
    /// would have no effect (keep_raw for sites whose policies keep no raw log).
    public static func check(_ config: RunConfig, against policies: PolicySet) throws -> [String] {
        var warnings: [String] = []
        for input in config.inputs {
            if let policy = input.policy, policies.policy(id: policy) == nil {
                throw RulesError(file: config.file, line: nil, "input policy '\(policy)' is not in \(config.rulesDirectory)")
            }
            guard input.policy == nil, let site = input.site else { continue }
            guard let versions = policies.versions(site: site) else {
                throw RulesError(file: config.file, line: nil,
                                 "input site '\(site)' is named by no rules file in \(config.rulesDirectory): add a rules file "
                                 + "whose sites: list names it, or give the input a policy:")
            }
            let ids = versions.map { policies.policies[$0].id }
            if config.keepRaw, versions.allSatisfy({ policies.policies[$0].retention.rawDays == 0 }) {
                warnings.append("keep_raw: true has no effect on the inputs of \(site): its policies (\(ids.joined(separator: ", "))) keep no raw log")
            }
        }
        return warnings
    }

    /// `path` as `reprocess` holds it.
    public static func standardized(_ path: String) -> String {
        let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        return URL(fileURLWithPath: absolute).standardizedFileURL.path
    }

    public func run() throws -> RunReport {
        let archive = Archive(root: config.archive)
        // Everything that can refuse the job is checked before the archive is touched.
        let policies = try RulesLoader.load(directory: config.rulesDirectory)
        let warnings = try Self.check(config, against: policies)
        var discovered: [(String, RunConfig.Input)] = []
        for input in config.inputs {
            for path in InputDiscovery.files(matching: input.patterns) where archive.relativePath(of: path) == nil {
                discovered.append((path, input))
            }
        }
        try OutputCollision.check(outputs: config.stats.outputFiles + [("--report", self.report ?? "-")],
                                  inputs: discovered.map(\.0) + [config.file] + RulesLoader.files(directory: config.rulesDirectory))
        let unknown = reprocess.subtracting(discovered.map { Self.standardized($0.0) })
        if let path = unknown.sorted().first {
            throw RulesError(file: config.file, line: nil, "--reprocess \(path): no input of the config names this file")
        }

        let session = try ArchiveSession(archive: archive)
        defer { session.end() }
        let keys = try KeyStore(directory: config.keys)
        var report = RunReport(config: config.file, archive: archive.root, started: Self.clock())
        report.asOf = asOf
        report.warnings = warnings
        report.stagingFilesRemoved = session.stagingFilesRemoved
        // What a killed retention began is finished first, before any pass can need a half-destroyed key.
        let (runner, finished) = try session.retention(policies: policies, keys: keys, now: now, asOf: asOf) { runner in
            runner.threads = config.threads
            runner.compressionLevel = config.compressionLevel
            runner.codec = config.codec
        }
        report.retentionFinished = finished.map { "\($0.action) \($0.path)" }

        for (path, input) in discovered {
            report.inputs.append(process(path, input: input, archive: archive, policies: policies, keys: keys,
                                         ledger: session.ledger, trail: session.trail))
        }
        CrashPoint.beforeRetention.reach()

        let outcome = try session.retain(with: runner)
        report.retention = outcome.done
        report.retentionFailures = outcome.failures.map(\.description)

        if let sqlite = config.stats.sqlite {
            var rejected = RejectionTally()
            var lines = 0
            for input in report.inputs {
                lines += input.lines
                for entry in input.rejections { rejected.add(entry.reason, count: entry.count) }
            }
            let success = report.inputs.allSatisfy { $0.status != .failed && $0.status != .notRecorded } && outcome.failures.isEmpty
            let run = RunSummary(finishedEpoch: Int64(Date().timeIntervalSince1970), success: success, lines: lines, rejected: rejected)
            report.withheldSiteDays = try config.stats.export(from: try StatsStore(path: sqlite), run: run,
                                                              today: Timestamp.day(now + config.timeZone.offset(at: now)))
        }

        var status = ExitStatus.ok
        for input in report.inputs where input.status == .failed {
            report.problems.append("\(input.path): \(input.error ?? "failed")")
            status = .unreadableInput
        }
        for input in report.inputs where input.status == .notRecorded {
            report.problems.append(input.error ?? "\(input.path): too many lines rejected")
            if status == .ok { status = .violations }
        }
        if !outcome.failures.isEmpty {
            report.problems.append("\(outcome.failures.count) retention step(s) failed")
            if status == .ok { status = .violations }
        }
        report.exitStatus = status.rawValue
        report.finished = Self.clock()
        return report
    }

    private func process(_ path: String, input: RunConfig.Input, archive: Archive, policies: PolicySet, keys: KeyStore,
                         ledger: Ledger, trail: AuditTrail) -> RunReport.InputResult {
        var result = RunReport.InputResult(path: path, status: .processed)
        let again = reprocess.contains(Self.standardized(path))
        do {
            var info = stat()
            guard stat(path, &info) == 0 else { throw InputError.cannotOpen(path: path, reason: String(cString: strerror(errno))) }
            let size = Int64(info.st_size)
            // Rotation renames files every night: content, not name, says whether a file was done; the same bytes
            // read as another site are another input.
            let scope = PolicyChoice.scope(site: input.site, forcedPolicy: input.policy)
            if !again, try ledger.hasInput(size: size) {
                let sha = try FileDigest.sha256(of: path)
                if try ledger.hasInput(scope: scope, sha256: sha) {
                    result.status = .alreadyProcessed
                    result.sha256 = sha
                    return result
                }
            }
            var pass = ArchivePass(policies: policies, keys: keys, format: input.format)
            pass.progress = progress
            pass.site = input.site
            pass.forcedPolicy = input.policy
            pass.onReject = config.onReject
            pass.threads = config.threads
            pass.compressionLevel = config.compressionLevel
            pass.codec = config.codec
            pass.maximumLineLength = config.maximumLineLength
            pass.statsDatabase = config.stats.sqlite
            pass.timeZone = config.timeZone
            pass.maximumRejectRate = config.maximumRejectRate
            pass.replaceStats = again
            let product: ArchivePass.Product
            do {
                product = try pass.run(input: path, staging: archive.stagingPath(suffix: ".log.gz"))
            } catch let tooMany as RejectRateExceeded {
                result.status = .notRecorded
                result.lines = tooMany.lines
                result.rejected = tooMany.rejected
                result.error = tooMany.description
                result.sha256 = tooMany.inputSHA256
                // Not recorded, but not left to logrotate alone: its raw copy is kept as its policy keeps one.
                if config.keepRaw {
                    result.raw = try keepRawOfUnrecorded(path, tooMany, size: size, modified: Int64(info.st_mtim.tv_sec),
                                                         input: input, archive: archive, policies: policies, ledger: ledger, trail: trail)
                }
                return result
            }
            CrashPoint.staged.reach()
            let file = product.report
            result.sha256 = product.inputSHA256
            result.lines = file.lines
            result.written = file.written
            result.scrubbed = file.scrubbed
            result.rejected = file.rejected
            result.rejections = file.rejections.sorted
            result.policies = policies.countsByID(file.linesByPolicy)
            switch product.stats {
            case .stored?: result.statistics = "stored"
            case .alreadyStored?: result.statistics = "already stored"
            case .overRejectRate?: result.statistics = "not stored: too many lines rejected"
            case nil: break
            }

            let newest = file.lastEpoch ?? now
            let compressed = LogSource.isGzip(path)
            let anonymizedName = Archive.fileName(input: path, sha256: product.inputSHA256, compressed: true)
            let anonymizedPath = Archive.relativePath(.anonymized, label: input.label, newestEpoch: newest, name: anonymizedName)
            // Names come from label and content: two sites' identical files under one label would share a name.
            if let holder = try ledger.files().first(where: { $0.path == anonymizedPath && $0.inputScope != scope }) {
                unlink(product.staging)
                throw ArchiveError.io(path: anonymizedPath, reason: "already holds the same content read as \(holder.inputScope); "
                                      + "give the inputs of \(scope) a label of their own in \(config.file)")
            }
            _ = try archive.moveIntoPlace(product.staging, relative: anonymizedPath)
            CrashPoint.anonymizedInPlace.reach()
            var records = [ArchivedFile(
                path: anonymizedPath, kind: .anonymized, inputSHA256: product.inputSHA256, sha256: product.verified.sha256,
                size: product.verified.size, lines: product.verified.lines, firstEpoch: file.firstEpoch, newestEpoch: file.lastEpoch,
                policies: product.policies, format: input.format.source, site: input.site, forcedPolicy: input.policy,
                label: input.label, createdEpoch: now)]
            result.anonymized = anonymizedPath

            if config.keepRaw, let rawPath = try copyRaw(path, sha256: product.inputSHA256, policyIDs: product.policies,
                                                         newestEpoch: newest, input: input, compressed: compressed,
                                                         archive: archive, policies: policies) {
                // The raw copy is the input itself: the anonymized record with the input's bytes and lines.
                var raw = records[0]
                raw.path = rawPath
                raw.kind = .raw
                raw.sha256 = product.inputSHA256
                raw.size = size
                raw.lines = file.lines
                records.append(raw)
                result.raw = rawPath
            }
            CrashPoint.beforeLedger.reach()
            if again {
                result.reprocessed = true
                try trail.append(event("reprocess", anonymizedPath, product.policies, after: product.verified.sha256,
                                       reason: "\(path) processed again on request (--reprocess); its statistics replaced"))
            }
            try removeSuperseded(of: (scope, product.inputSHA256), keeping: Set(records.map(\.path)), archive: archive,
                                 ledger: ledger, trail: trail, reason: again ? "its input was processed again (--reprocess)"
                                     : "replaced by the pass that recorded its input")
            try trail.append(event("write-anonymized", anonymizedPath, product.policies, after: product.verified.sha256,
                                   reason: "anonymized from \(path): \(file.lines) lines in, \(product.verified.lines) written, \(file.rejected) rejected"))
            if let raw = result.raw {
                try trail.append(event("copy-raw", raw, product.policies, after: product.inputSHA256,
                                       reason: "raw copy of \(path), kept within the raw window"))
            }
            try ledger.record(Ledger.ProcessedInput(scope: scope, sha256: product.inputSHA256, path: path, size: size, lines: file.lines,
                                                    written: file.written + file.scrubbed, rejected: file.rejected),
                              files: records, at: now)
        } catch {
            result.status = .failed
            result.error = "\(error)"
        }
        return result
    }

    /// Archive files of the input that its new ones do not replace (a reprocess, or the raw copy kept while the
    /// input was not recorded, can date them otherwise): deleted, with the ledger and the audit trail told.
    private func removeSuperseded(of input: (scope: String, sha256: String), keeping: Set<String>, archive: Archive, ledger: Ledger,
                                  trail: AuditTrail, reason: String) throws {
        for file in try ledger.files(inputScope: input.scope, sha256: input.sha256) where !keeping.contains(file.path) {
            try archive.delete(file.path)
            try ledger.remove(path: file.path)
            try trail.append(AuditTrail.Event(time: Self.clock(), action: "delete-\(file.kind.rawValue)", file: file.path,
                                              policies: file.policies, sha256Before: file.sha256, sha256After: nil,
                                              reason: "superseded: \(reason)", asOf: asOf))
        }
    }

    /// The raw copy of an input that was read but not recorded (too many lines rejected), kept as its policies
    /// keep raw data: those of the lines that parsed, else those of the input's site or policy. Dated by its
    /// newest parsed line, else by the file's modification time (the same on every retry). Recorded among the
    /// archive's files, not among the inputs: the input is still to be processed.
    private func keepRawOfUnrecorded(_ path: String, _ refused: RejectRateExceeded, size: Int64, modified: Int64,
                                     input: RunConfig.Input, archive: Archive, policies: PolicySet, ledger: Ledger,
                                     trail: AuditTrail) throws -> String? {
        var ids = refused.policies
        if ids.isEmpty {
            ids = input.policy.map { [$0] } ?? input.site.flatMap { policies.versions(site: $0) }?.map { policies.policies[$0].id } ?? []
        }
        // Kept already by an earlier night that refused the same content.
        let scope = PolicyChoice.scope(site: input.site, forcedPolicy: input.policy)
        if let kept = try ledger.files(inputScope: scope, sha256: refused.inputSHA256).first(where: { $0.kind == .raw }) { return kept.path }
        let newest = refused.newestEpoch ?? modified
        guard !refused.inputSHA256.isEmpty,
              let relative = try copyRaw(path, sha256: refused.inputSHA256, policyIDs: ids, newestEpoch: newest, input: input,
                                         compressed: LogSource.isGzip(path), archive: archive, policies: policies)
        else { return nil }
        try ledger.add([ArchivedFile(
            path: relative, kind: .raw, inputSHA256: refused.inputSHA256, sha256: refused.inputSHA256, size: size,
            lines: refused.lines, firstEpoch: nil, newestEpoch: refused.newestEpoch ?? modified, policies: ids,
            format: input.format.source, site: input.site, forcedPolicy: input.policy, label: input.label, createdEpoch: now)])
        try trail.append(event("copy-raw", relative, ids, after: refused.inputSHA256,
                               reason: "raw copy of \(path), kept although the input is not recorded (\(refused.rejected) of "
                                   + "\(refused.lines) lines rejected): it is processed when read with the right format"))
        return relative
    }

    /// Copies the raw input into `raw/` when every policy of its lines keeps raw data and its window is still open.
    private func copyRaw(_ path: String, sha256: String, policyIDs: [String], newestEpoch newest: Int64, input: RunConfig.Input,
                         compressed: Bool, archive: Archive, policies: PolicySet) throws -> String? {
        let windows = policyIDs.compactMap { policies.policy(id: $0)?.retention.rawDays }
        guard !windows.isEmpty, windows.count == policyIDs.count, let rawDays = windows.min(), rawDays > 0 else { return nil }
        guard now < newest + Int64(rawDays) * RetentionPlanner.day else { return nil }
        let staging = archive.stagingPath(suffix: ".raw")
        let copied = try FileDigest.copy(path, to: staging)
        guard copied == sha256 else {
            unlink(staging)
            throw InputError.readFailed(path: path, reason: "the file changed while it was processed (SHA-256 differs); run again")
        }
        let name = Archive.fileName(input: path, sha256: sha256, compressed: compressed)
        let relative = Archive.relativePath(.raw, label: input.label, newestEpoch: newest, name: name)
        _ = try archive.moveIntoPlace(staging, relative: relative)
        return relative
    }

    func event(_ action: String, _ path: String, _ policies: [String], after: String, reason: String) -> AuditTrail.Event {
        AuditTrail.Event(time: Self.clock(), action: action, file: path, policies: policies, sha256Before: nil,
                         sha256After: after, reason: reason, asOf: asOf)
    }

    static func clock() -> String { Timestamp.iso8601UTC(Int64(Date().timeIntervalSince1970)) }
}
