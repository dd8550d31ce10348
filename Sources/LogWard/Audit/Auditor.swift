import Foundation
import GRDB
import LogWardJob
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
                    if Self.isSQLite(file) {
                        auditDatabase(file, into: &report)
                        continue
                    }
                    let audited = scan(file, role: .log, known: nil)
                    evaluate(audited, known: nil, into: &report)
                    scope.files.append(audited)
                }
                scopes.append(scope)
                // A key store given outside an archive (the piped-logging setup's): its overdue keys are violations.
                if let keysDirectory, FileManager.default.fileExists(atPath: keysDirectory) {
                    try auditKeyStore(keysDirectory, archive: nil, files: [], into: &report)
                }
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
            // logward writes nothing but logs there: whatever else is there is read as one (`leak.csv` too).
            for path in Self.logFiles(under: archive.root + "/" + folder, skipping: [], into: &report) {
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
                } else if let record, let digest = audited.sha256, !digest.isEmpty, audited.error == nil, digest != record.sha256 {
                    report.violations.append(.init(kind: .tampered, file: relative, line: nil, policies: record.policies,
                        message: "its SHA-256 is not the one the ledger recorded (\(record.sha256.prefix(12))...): changed since logward wrote it"))
                }
                evaluate(audited, known: record, into: &report)
                scope.files.append(audited)
            }
        }
        // Keys: whatever retention would destroy now is overdue.
        let keysDirectory = self.keysDirectory ?? archive.root + "/keys"
        if FileManager.default.fileExists(atPath: keysDirectory) {
            try auditKeyStore(keysDirectory, archive: archive, files: known, into: &report)
        }
        return scope
    }

    /// Keys retention would destroy now are overdue; without an archive no raw file can still need one.
    private func auditKeyStore(_ directory: String, archive: Archive?, files: [ArchivedFile], into report: inout AuditReport) throws {
        let keys = try KeyStore(directory: directory)
        report.keysChecked += policies.policies.reduce(0) { $0 + keys.periods(policy: $1.id).count }
        let planner = RetentionPlanner(archive: archive ?? Archive(root: directory), policies: policies, keys: keys, now: now)
        let actions = archive == nil ? planner.keyActions(remainingRaw: []) : planner.plan(files: files)
        for action in actions where action.kind == .destroyKey {
            let path = archive == nil ? directory + "/" + action.path.dropFirst("keys/".count) : action.path
            report.violations.append(.init(kind: .keyPastWindow, file: path,
                                           line: nil, policies: action.policies, message: "pseudonym key still exists: " + action.reason))
        }
    }

    /// Whether a file is a SQLite database (by its header, not its name).
    static func isSQLite(_ path: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        return (try? handle.read(upToCount: 16)) == Data("SQLite format 3\0".utf8)
    }

    /// A statistics database (or any SQLite file) holds text too: every text value of every table is looked
    /// through with the anonymizer's detectors. Pseudonyms and placeholders are not identifiers; an address or
    /// e-mail is.
    private func auditDatabase(_ path: String, into report: inout AuditReport) {
        var found: [(table: String, count: Int)] = []
        do {
            var configuration = Configuration()
            configuration.readonly = true
            let database = try DatabaseQueue(path: path, configuration: configuration)
            try database.read { db in
                for table in try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'") {
                    var count = 0
                    let rows = try Row.fetchCursor(db, sql: "SELECT * FROM \"\(table.replacingOccurrences(of: "\"", with: "\"\""))\"")
                    while let row = try rows.next() {
                        for value in row.databaseValues {
                            guard case .string(let text) = value.storage else { continue }
                            if IdentifierScanner.containsIdentifier(text) { count += 1 }
                        }
                    }
                    if count > 0 { found.append((table, count)) }
                }
            }
        } catch {
            report.violations.append(.init(kind: .unreadable, file: path, line: nil, policies: [],
                                           message: "a SQLite database that could not be read (\(error))"))
            return
        }
        guard !found.isEmpty else { return }
        let where_ = found.map { "\($0.count) value(s) in table \($0.table)" }.joined(separator: ", ")
        report.violations.append(.init(kind: .identifiersInDatabase, file: path, line: nil, policies: [],
                                       message: "address- or e-mail-shaped text: \(where_)"))
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

    /// What a folder of logs may hold besides logs and is not read as one: keys (audited as a key store),
    /// configuration and documentation. Exports (`.csv`, `.json`, `.prom`) and databases are audited like anything
    /// else: a raw line saved as `leak.csv` is still a raw line.
    static let configurationSuffixes = [".key", ".yaml", ".yml", ".md"]

    /// Regular files under a folder, sorted, skipping hidden ones and those with `skipping` suffixes; links are
    /// reported, never followed.
    static func logFiles(under root: String, skipping ownFiles: [String] = configurationSuffixes,
                         into report: inout AuditReport) -> [String] {
        var found: [String] = []
        var pending = [root]
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
