import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `logward audit`: reads every log under the given paths (a logward archive, or any folder or file of logs)
/// and reports each promise broken: raw data past its raw window, identifiers left in anonymized data, data
/// past its window, keys that should have been destroyed, archive files the ledger does not know.
public struct Auditor {
    public var policies: PolicySet
    /// For files the ledger does not describe.
    public var format: LogFormat
    public var site: String?
    public var forcedPolicy: String?
    public var now: Int64
    public var maximumLineLength = LineSplitter.defaultMaximumLineLength
    /// The key store of an archive (default `<archive>/keys`).
    public var keysDirectory: String?

    public init(policies: PolicySet, format: LogFormat, now: Int64) {
        self.policies = policies
        self.format = format
        self.now = now
    }

    /// One audited path: an archive (it has a ledger) or plain logs.
    public struct Scope {
        var archive: Archive?
        var ledgerFiles: [String: ArchivedFile] = [:]
        var files: [AuditReport.FileAudit] = []
    }

    public func audit(paths: [String]) throws -> (AuditReport, [Scope]) {
        var report = AuditReport(paths: paths, asOf: Timestamp.iso8601UTC(now))
        var scopes: [Scope] = []
        for path in paths {
            var info = stat()
            guard lstat(path, &info) == 0 else { throw InputError.cannotOpen(path: path, reason: String(cString: strerror(errno))) }
            let isDirectory = info.st_mode & S_IFMT == S_IFDIR
            if isDirectory, FileManager.default.fileExists(atPath: path + "/ledger.sqlite") {
                scopes.append(try auditArchive(Archive(root: path), into: &report))
            } else {
                var scope = Scope()
                for file in isDirectory ? Self.logFiles(under: path, into: &report) : [path] {
                    let audited = scan(file, role: .log, known: nil)
                    evaluate(audited, known: nil, into: &report)
                    scope.files.append(audited)
                }
                scopes.append(scope)
            }
        }
        report.files = scopes.flatMap(\.files)
        return (report, scopes)
    }

    private func auditArchive(_ archive: Archive, into report: inout AuditReport) throws -> Scope {
        try archive.checkPermissions()
        let ledger = try Ledger(path: archive.ledgerPath)
        let known = try ledger.files()
        var scope = Scope(archive: archive, ledgerFiles: Dictionary(known.map { ($0.path, $0) }, uniquingKeysWith: { a, _ in a }))
        for folder in ["raw", "anon"] {
            for path in Self.logFiles(under: archive.root + "/" + folder, into: &report) {
                let relative = archive.relativePath(of: path) ?? path
                let record = scope.ledgerFiles[relative]
                // A file the ledger does not know: its folder's label is its site when it names one.
                let label = relative.split(separator: "/").dropFirst().first.map(String.init)
                let labelSite = record == nil && site == nil ? label.flatMap { policies.versions(site: $0) == nil ? nil : $0 } : nil
                var audited = scan(path, role: folder == "raw" ? .raw : .anonymized, known: record, site: labelSite)
                audited.path = relative
                audited.inLedger = record != nil
                if record == nil {
                    report.violations.append(.init(kind: .unknownToLedger, file: relative, line: nil, policies: Array(audited.policies.keys).sorted(),
                                                   message: "the archive holds a file no logward run or retention recorded"))
                }
                evaluate(audited, known: record, into: &report)
                scope.files.append(audited)
            }
        }
        // Keys: whatever retention would destroy now is overdue.
        let keysDirectory = self.keysDirectory ?? archive.root + "/keys"
        if FileManager.default.fileExists(atPath: keysDirectory) {
            let keys = try KeyStore(directory: keysDirectory)
            report.keysChecked += policies.policies.reduce(0) { $0 + keys.periods(policy: $1.id).count }
            let planner = RetentionPlanner(archive: archive, policies: policies, keys: keys, now: now)
            for action in planner.plan(files: known) where action.kind == .destroyKey {
                report.violations.append(.init(kind: .keyPastWindow, file: action.path, line: nil, policies: action.policies,
                                               message: "pseudonym key still exists: " + action.reason))
            }
        }
        return scope
    }

    /// Reads one file; the ledger's record (if any) says its format and site.
    func scan(_ path: String, role: AuditReport.FileAudit.Role, known: ArchivedFile?, site labelSite: String? = nil) -> AuditReport.FileAudit {
        var audited = AuditReport.FileAudit(path: path, role: role)
        do {
            let fileFormat = try known.map { try LogFormat($0.format) } ?? format
            audited.format = fileFormat.source
            audited.site = site ?? known?.site ?? labelSite
            let choice = try PolicyChoice(set: policies, forcedPolicy: forcedPolicy ?? known?.forcedPolicy, site: site ?? known?.site ?? labelSite)
            var handler = ComplianceHandler(choice: choice)
            var options = ScanOptions(format: fileFormat, maximumLineLength: maximumLineLength)
            options.identifyInputs = true
            let outcome = LogScanner.scan(path: path, options: options, handler: &handler)
            audited.sha256 = outcome.sha256
            audited.lines = outcome.lines
            audited.parsed = handler.parsed
            audited.rejected = handler.rejected
            audited.findings = handler.findings
            audited.firstEpoch = handler.firstEpoch
            audited.newestEpoch = handler.newestEpoch
            audited.firstLine = handler.firstEpoch.map(Timestamp.iso8601UTC)
            audited.newestLine = handler.newestEpoch.map(Timestamp.iso8601UTC)
            audited.policies = policies.countsByID(handler.linesByPolicy)
            audited.error = outcome.error?.description
        } catch {
            audited.error = "\(error)"
        }
        return audited
    }

    private func evaluate(_ file: AuditReport.FileAudit, known: ArchivedFile?, into report: inout AuditReport) {
        let ids = file.policies.keys.sorted()
        if let error = file.error {
            report.violations.append(.init(kind: .unreadable, file: file.path, line: nil, policies: ids,
                                           message: "could not be read to its end (\(error)); what was read is judged below"))
        }
        let window = RetentionPlanner.windows(ids.isEmpty ? (known?.policies ?? []) : ids, in: policies)
        // A window holds for every line: the file is as old as its oldest line.
        let oldest = file.firstEpoch ?? known?.oldestEpoch ?? now
        let ageDays = (now - oldest) / RetentionPlanner.day
        let age = "oldest line \(Timestamp.day(oldest)), \(ageDays) days old"
        let identifiers = file.findings.isEmpty ? "" : "; identifiers: " + file.findings.summary
        let pastRaw = now - oldest >= Int64(window.rawDays) * RetentionPlanner.day
        let pastAnonymized = now - oldest >= Int64(window.anonymizedDays) * RetentionPlanner.day
        switch file.role {
        case .raw:
            if pastRaw {
                report.violations.append(.init(kind: .rawPastWindow, file: file.path, line: file.findings.firstLine, policies: ids,
                    message: "raw file kept past its raw window of \(window.rawDays) days (\(age))\(identifiers)"))
            }
        case .anonymized:
            if !file.findings.isEmpty {
                report.violations.append(.init(kind: .identifiersInAnonymized, file: file.path, line: file.findings.firstLine, policies: ids,
                    message: "anonymized file holds identifiers its policy removes: \(file.findings.summary)"))
            }
        case .log:
            if !file.findings.isEmpty && pastRaw {
                report.violations.append(.init(kind: .rawPastWindow, file: file.path, line: file.findings.firstLine, policies: ids,
                    message: "identifiers kept past the raw window of \(window.rawDays) days (\(age))\(identifiers)"))
            }
        }
        if pastAnonymized && file.role != .raw {
            report.violations.append(.init(kind: .pastWindow, file: file.path, line: nil, policies: ids,
                message: "kept past its window of \(window.anonymizedDays) days (\(age))"))
        }
    }

    /// Regular files under a folder, sorted, skipping logward's own files and hidden ones; links are reported,
    /// never followed.
    static func logFiles(under root: String, into report: inout AuditReport) -> [String] {
        var found: [String] = []
        var pending = [root]
        let ownFiles = [".sqlite", ".json", ".jsonl", ".key", ".yaml", ".yml", ".md", ".prom", ".csv"]
        while let directory = pending.popLast() {
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { continue }
            for name in names where !name.hasPrefix(".") {
                let path = directory + "/" + name
                var info = stat()
                guard lstat(path, &info) == 0 else { continue }
                switch info.st_mode & S_IFMT {
                case S_IFDIR: pending.append(path)
                case S_IFREG: if !ownFiles.contains(where: { name.hasSuffix($0) }) { found.append(path) }
                case S_IFLNK:
                    report.violations.append(.init(kind: .symlink, file: path, line: nil, policies: [],
                                                   message: "a symbolic link: not followed, not audited"))
                default: break
                }
            }
        }
        return found.sorted()
    }
}
