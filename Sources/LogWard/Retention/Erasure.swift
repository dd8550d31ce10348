import Crypto
import Foundation
import LogWardReport
/// `logward erase`: one person's lines leave the archive. Each raw and pseudonymized file of the site that holds
/// some is rewritten without them (staged, fsynced, read back and its line count checked, recorded in the ledger,
/// then renamed over the old one); the statistics they fed are recounted; the audit trail records the request by
/// a keyed digest, never the identifier. A pseudonymized file is searched through the person's pseudonyms under
/// every key that still exists; where its keys are destroyed its lines can no longer be linked to anyone, and the
/// report says so.
public struct Erasure {
    public struct FileOutcome: Sendable, Codable, Equatable {
        public var path: String
        public var kind: ArchivedFile.Kind
        public var lines: Int
        public var removed: Int
        /// Why nothing could be searched in it (its keys are gone), if so.
        public var note: String?
    }

    public struct Report: Sendable, Codable, Equatable {
        public var dryRun: Bool
        /// The request's keyed digest, as the audit trail records it (nil in a dry run with no erasure key yet).
        public var request: String?
        public var files: [FileOutcome] = []
        /// What happened to the statistics the lines fed, one line per input.
        public var statistics: [String] = []

        public var removed: Int { files.reduce(0) { $0 + $1.removed } }
    }

    public var archive: Archive
    public var policies: PolicySet
    public var keys: KeyStore?
    public var ledger: Ledger
    /// nil for a dry run: nothing is written.
    public var trail: AuditTrail?
    public var statsDatabase: String?
    public var timeZone: StatsTimeZone = .utc
    public var compressionLevel: Int32 = 6
    public var threads = 2

    public init(archive: Archive, policies: PolicySet, keys: KeyStore?, ledger: Ledger, trail: AuditTrail?) {
        self.archive = archive
        self.policies = policies
        self.keys = keys
        self.ledger = ledger
        self.trail = trail
    }

    /// Where the erasure key lives: a key of its own in the key store, kept as long as the store (no policy's
    /// retention destroys it), so an erasure's digest can be checked years later.
    static let keyFolder = "erasure"

    public func run(_ request: ErasureRequest) throws -> Report {
        let dryRun = trail == nil
        var report = Report(dryRun: dryRun)
        let key: SymmetricKey? = dryRun ? try keys?.existingKey(policy: Self.keyFolder, period: "requests")
            : try keys?.key(policy: Self.keyFolder, period: "requests")
        report.request = key.map(request.digest)
        let digest = report.request.map { String($0.prefix(16)) } ?? "(dry run)"

        let files = try ledger.files().filter { file in
            let sites = file.forcedPolicy.flatMap { policies.policy(id: $0)?.sites.map { $0.lowercased() } }
            let ofSite = file.site == nil || file.site?.lowercased() == request.site || (sites?.contains(request.site) ?? false)
            return ofSite && request.overlaps(first: file.firstEpoch, last: file.newestEpoch)
        }
        // Raw copies first: their recount replaces the input's statistics, so its pseudonymized file needs none.
        var recounted: Set<String> = []
        for file in files.sorted(by: { ($0.kind == .raw ? 0 : 1, $0.path) < ($1.kind == .raw ? 0 : 1, $1.path) }) {
            var outcome = FileOutcome(path: file.path, kind: file.kind, lines: file.lines, removed: 0)
            var matcher = ErasureMatcher(request)
            if file.kind == .anonymized {
                var found = false
                for policy in file.policies {
                    for period in keys?.periods(policy: policy) ?? [] {
                        guard let existing = try keys?.existingKey(policy: policy, period: period) else { continue }
                        matcher.pseudonyms += matcher.pseudonyms(under: existing)
                        found = true
                    }
                }
                if !found {
                    outcome.note = "the keys of \(file.policies.joined(separator: ", ")) are destroyed: its pseudonyms can no "
                        + "longer be linked to anyone; only identifiers it keeps as written were searched"
                }
            }
            let pass = try erase(file, matcher: matcher, dryRun: dryRun)
            outcome.removed = pass.removed
            report.files.append(outcome)
            guard pass.removed > 0 else { continue }
            let input = "\(file.inputScope) \(file.inputSHA256.prefix(12))"
            if let staged = pass.staged {
                try commit(file, staged: staged, removed: pass.removed, digest: digest)
            }
            guard let statsDatabase, FileManager.default.fileExists(atPath: statsDatabase) else { continue }
            let identity = file.inputScope + "\u{0}" + file.inputSHA256
            if file.kind == .raw {
                if !dryRun { try recount(file, statsDatabase: statsDatabase) }
                recounted.insert(identity)
                report.statistics.append("input \(input): \(dryRun ? "would be recounted" : "recounted") from its raw copy without the person's lines")
            } else if !recounted.contains(identity) {
                let codes = pass.visitorCodes.mapValues { Set($0) }
                if codes.isEmpty {
                    report.statistics.append("input \(input): no raw copy and no --client to find the person's visitor codes by; its counts are kept")
                } else {
                    let removed = dryRun ? codes.values.reduce(0) { $0 + $1.count }
                        : try StatsStore(path: statsDatabase).removeVisitors(scope: file.inputScope, sha256: file.inputSHA256, codes: codes)
                    report.statistics.append("input \(input): \(removed) visitor code(s) \(dryRun ? "would be" : "") removed from its day and row visitor sets, their distinct counts recomputed"
                        .replacingOccurrences(of: "  ", with: " "))
                }
            }
        }
        if let trail {
            try trail.append(AuditTrail.Event(
                time: RetentionRunner.clock(), action: "erase-request", file: "", policies: [],
                sha256Before: nil, sha256After: nil,
                reason: "erasure request \(digest) for \(request.site): \(report.removed) line(s) removed from "
                    + "\(report.files.filter { $0.removed > 0 }.count) file(s); the identifier is not recorded", asOf: nil))
        }
        return report
    }

    struct Pass {
        var removed = 0
        /// The rewritten file in staging (nil in a dry run or when nothing was removed).
        var staged: (path: String, lines: Int)?
        /// For a pseudonymized file and a client address: the visitor codes of the removed lines, by stats day.
        var visitorCodes: [StatsStore.DayKey: [UInt64]] = [:]
    }

    private func erase(_ file: ArchivedFile, matcher: ErasureMatcher, dryRun: Bool) throws -> Pass {
        let path = try archive.absolutePath(file.path)
        let format = try LogFormat(file.format)
        let choice = try PolicyChoice(set: policies, forcedPolicy: file.forcedPolicy, site: file.site)
        let staging = archive.stagingPath(suffix: file.path.hasSuffix(".gz") ? ".log.gz" : ".log")
        var options = LogOutput.Options()
        options.compressionLevel = compressionLevel
        let output = dryRun ? nil : try LogOutput(path: staging, options: options)
        var handler = ErasureHandler(matcher: matcher, resolver: PolicyResolver(choice: choice), output: output,
                                     fileSite: file.site == nil && file.forcedPolicy == nil ? nil : choice.fallbackSite)
        if file.kind == .anonymized, case .client = matcher.request.identifier {
            handler.visitorCodes = VisitorCodes(policies: policies, keys: keys, timeZone: timeZone)
        }
        // Every line is kept or removed, never lost: a line too long to hold would be, so none is too long here.
        let outcome = LogScanner.scan(path: path, options: ScanOptions(format: format, maximumLineLength: 1 << 30, readAhead: false),
                                      handler: &handler)
        let failure: (any Error)? = outcome.error ?? handler.failure
        if let failure {
            output?.discard()
            throw failure
        }
        var pass = Pass(removed: handler.removed, visitorCodes: handler.visitorCodes?.codes ?? [:])
        guard let output, handler.removed > 0 else {
            output?.discard()
            return pass
        }
        try output.commit()
        pass.staged = (staging, outcome.lines - handler.removed)
        return pass
    }

    /// Read back, recorded in the ledger, renamed over the old file, told to the audit trail. The ledger goes
    /// first: a run killed before the rename leaves the old file, which a second erase rewrites again.
    private func commit(_ file: ArchivedFile, staged: (path: String, lines: Int), removed: Int, digest: String) throws {
        let verified = try ArchiveVerifier.verify(staged.path)
        guard verified.lines == staged.lines else {
            unlink(staged.path)
            throw OutputError(path: staged.path, reason: "read back \(verified.lines) lines, wrote \(staged.lines)")
        }
        let before = try FileDigest.sha256(of: try archive.absolutePath(file.path))
        var updated = file
        updated.sha256 = verified.sha256
        updated.size = verified.size
        updated.lines = verified.lines
        try ledger.add([updated])
        _ = try archive.moveIntoPlace(staged.path, relative: file.path)
        try trail?.append(AuditTrail.Event(
            time: RetentionRunner.clock(), action: "erase", file: file.path, policies: file.policies, sha256Before: before,
            sha256After: verified.sha256, reason: "erasure request \(digest): \(removed) of \(file.lines) line(s) removed", asOf: nil))
    }

    /// Replaces the statistics of a raw copy's input by a count of the rewritten copy.
    private func recount(_ file: ArchivedFile, statsDatabase: String) throws {
        let choice = try PolicyChoice(set: policies, forcedPolicy: file.forcedPolicy, site: file.site)
        var runner = PassRunner(scan: ScanOptions(format: try LogFormat(file.format), readAhead: false), choice: choice,
                                pool: PseudonymizerPool(keys: keys))
        runner.statsSinks = StatsSinks(sqlite: statsDatabase)
        runner.timeZone = timeZone
        runner.replaceStats = true
        runner.statsContentID = file.inputSHA256
        let result = try runner.run(files: [try archive.absolutePath(file.path)], output: nil)
        if let error = result.inputError { throw error }
    }
}

/// The visitor codes of erased pseudonymized lines: the client's address (given by the request) with the line's
/// user agent under the key of its statistics day, as `StatsCollector` codes a visitor.
struct VisitorCodes {
    let policies: PolicySet
    let keys: KeyStore?
    let timeZone: StatsTimeZone
    var codes: [StatsStore.DayKey: [UInt64]] = [:]

    mutating func add(address: [UInt8], agent: Span<UInt8>, epoch: Int64, policyIndex: Int, site: String) throws {
        let local = epoch + timeZone.offset(at: epoch)
        let dayStart = Timestamp.dayNumber(local) * 86_400
        let policy = policies.policies[policyIndex]
        let period = PseudonymizerPool.period(of: dayStart, periodDays: policy.keyPeriodDays)
        guard let key = try keys?.existingKey(policy: policy.id, period: period.name) else { return }
        var message: [UInt8] = [Pseudonymizer.Domain.visitor.rawValue]
        message += address
        message.append(0)
        message.appendBytes(agent)
        let code = Pseudonymizer(key: key).code(ofPrefixed: message.span)
        codes[StatsStore.DayKey(site: site, day: Timestamp.day(dayStart), policy: policy.id), default: []].append(code)
    }
}

/// Copies every line that is not the person's to the output, counting those that are.
struct ErasureHandler: LineHandler {
    let matcher: ErasureMatcher
    var resolver: PolicyResolver
    let output: LogOutput?
    /// The site of lines that name none (the file's); nil for a file whose lines name their own site.
    let fileSite: String?
    var visitorCodes: VisitorCodes?
    var removed = 0
    var failure: (any Error)?

    mutating func handle(_ record: LogRecord, line: Span<UInt8>, at position: LinePosition) {
        let epoch = record.timestamp?.epochSeconds ?? 0
        let resolution = resolver.resolve(record, line: line, epoch: epoch)
        if matcher.matches(record, line: line, site: resolution.site) {
            removed += 1
            if visitorCodes != nil, record.timestamp != nil, case .client(let text) = matcher.request.identifier {
                var address: [UInt8] = []
                if let parsed = IPAddress.parse(text) {
                    (parsed.mappedIPv4.map { IPAddress.v4($0) } ?? parsed).append(to: &address)
                } else {
                    address = Array(text.lowercased().utf8)
                }
                do {
                    try visitorCodes!.add(address: address, agent: line.extracting(record.userAgent.range), epoch: epoch,
                                          policyIndex: resolution.index, site: resolution.site)
                } catch {
                    failure = failure ?? error
                }
            }
            return
        }
        write(line)
    }

    mutating func reject(_ reason: RejectReason, line: Span<UInt8>?, at position: LinePosition) {
        guard let line else {
            failure = failure ?? InputError.readFailed(path: "line \(position.number)", reason: "a line could not be held (\(reason))")
            return
        }
        // A line that does not parse is the person's when it names them and the file is of their site, or, in a
        // file of several sites, when it names them at all: its site cannot be read, and it is never kept on a guess.
        if (fileSite == nil || fileSite == matcher.request.site) && matcher.names(line) {
            removed += 1
            return
        }
        write(line)
    }

    private mutating func write(_ line: Span<UInt8>) {
        guard let output, failure == nil else { return }
        do { try output.writeLine(line) } catch { failure = error }
    }
}
