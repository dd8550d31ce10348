import Foundation
import GRDB
import LogWardReport

/// `archive/ledger.sqlite`: the inputs processed (by scope and SHA-256: what the file was read as, and its bytes)
/// and the files the archive holds.
/// An input counts as processed only once its archive files are in place and its statistics stored: the row
/// is written last, in one transaction, so a killed run leaves the input unprocessed and the next run redoes it.
public final class Ledger {
    public struct ProcessedInput: Sendable, Equatable {
        /// The site it was read as (see `PolicyChoice.scope`); nil for an input recorded before scopes were.
        public var scope: String?
        public var sha256: String
        public var path: String
        public var size: Int64
        public var lines: Int
        public var written: Int
        public var rejected: Int

        public init(scope: String?, sha256: String, path: String, size: Int64, lines: Int, written: Int, rejected: Int) {
            self.scope = scope
            self.sha256 = sha256
            self.path = path
            self.size = size
            self.lines = lines
            self.written = written
            self.rejected = rejected
        }
    }

    private let database: DatabaseQueue

    public init(path: String) throws {
        database = try PrivateDatabase.open(path: path, migrator: Self.migrator).queue
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE inputs (
                    sha256 TEXT PRIMARY KEY,
                    path TEXT NOT NULL,
                    size INTEGER NOT NULL,
                    lines INTEGER NOT NULL,
                    written INTEGER NOT NULL,
                    rejected INTEGER NOT NULL,
                    processed_at TEXT NOT NULL
                );
                CREATE INDEX inputs_size ON inputs(size);
                CREATE TABLE archive_files (
                    path TEXT PRIMARY KEY,
                    kind TEXT NOT NULL CHECK (kind IN ('raw', 'anonymized')),
                    input_sha256 TEXT NOT NULL,
                    sha256 TEXT NOT NULL,
                    size INTEGER NOT NULL,
                    lines INTEGER NOT NULL,
                    first_epoch INTEGER,
                    newest_epoch INTEGER,
                    policies TEXT NOT NULL,
                    format TEXT NOT NULL,
                    site TEXT,
                    forced_policy TEXT,
                    label TEXT NOT NULL,
                    created_epoch INTEGER NOT NULL
                );
                CREATE INDEX archive_files_input ON archive_files(input_sha256);
                """)
        }
        // Write-ahead intents: a deletion or key destruction is recorded here before it is done, so a run killed
        // between the act and its audit entry is finished, and its entry written once, by the next run.
        migrator.registerMigration("v2-intents") { db in
            try db.execute(sql: """
                CREATE TABLE intents (
                    action TEXT NOT NULL,
                    path TEXT NOT NULL,
                    policies TEXT NOT NULL,
                    sha256_before TEXT,
                    reason TEXT NOT NULL,
                    recorded TEXT NOT NULL,
                    PRIMARY KEY (action, path)
                );
                """)
        }
        // A file is identified by scope and content: the same bytes read as another site are another input. Inputs
        // recorded before take the scope of their archive files; one with none left (NULL) matches any scope.
        migrator.registerMigration("v3-scope") { db in
            try db.execute(sql: """
                CREATE TABLE inputs_v3 (
                    scope TEXT,
                    sha256 TEXT NOT NULL,
                    path TEXT NOT NULL,
                    size INTEGER NOT NULL,
                    lines INTEGER NOT NULL,
                    written INTEGER NOT NULL,
                    rejected INTEGER NOT NULL,
                    processed_at TEXT NOT NULL,
                    UNIQUE (scope, sha256)
                );
                INSERT INTO inputs_v3
                    SELECT (SELECT COALESCE(lower(a.site), '*') || COALESCE('@' || a.forced_policy, '') FROM archive_files a
                            WHERE a.input_sha256 = i.sha256 ORDER BY a.path LIMIT 1),
                           i.sha256, i.path, i.size, i.lines, i.written, i.rejected, i.processed_at
                    FROM inputs i;
                DROP TABLE inputs;
                ALTER TABLE inputs_v3 RENAME TO inputs;
                CREATE INDEX inputs_size ON inputs(size);
                """)
        }
        return migrator
    }

    /// A destructive step about to be taken (see `RetentionRunner.reconcile`).
    public struct Intent: Sendable, Equatable {
        public var action: String
        public var path: String
        public var policies: [String]
        public var sha256Before: String?
        public var reason: String
        /// When it was recorded (UTC, ISO 8601): an audit entry for it is no older.
        public var recorded: String

        public init(action: String, path: String, policies: [String], sha256Before: String?, reason: String, recorded: String) {
            self.action = action
            self.path = path
            self.policies = policies
            self.sha256Before = sha256Before
            self.reason = reason
            self.recorded = recorded
        }
    }

    public func recordIntent(_ intent: Intent) throws {
        try database.write { db in
            try db.execute(sql: """
                INSERT OR REPLACE INTO intents (action, path, policies, sha256_before, reason, recorded) VALUES (?, ?, ?, ?, ?, ?)
                """, arguments: [intent.action, intent.path, intent.policies.joined(separator: ","), intent.sha256Before,
                                 intent.reason, intent.recorded])
        }
    }

    /// Clears an intent once its act and audit entry are done; `removing` also drops the file's ledger row, in
    /// the same transaction.
    public func completeIntent(action: String, path: String, removing file: String? = nil) throws {
        try database.write { db in
            if let file { try db.execute(sql: "DELETE FROM archive_files WHERE path = ?", arguments: [file]) }
            try db.execute(sql: "DELETE FROM intents WHERE action = ? AND path = ?", arguments: [action, path])
        }
    }

    public func intents() throws -> [Intent] {
        try database.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM intents ORDER BY recorded, path").map { row in
                let policies: String = row["policies"]
                return Intent(action: row["action"], path: row["path"], policies: policies.split(separator: ",").map(String.init),
                              sha256Before: row["sha256_before"], reason: row["reason"], recorded: row["recorded"])
            }
        }
    }

    /// Whether some processed input has this size (only then is a candidate hashed before its pass).
    public func hasInput(size: Int64) throws -> Bool {
        try database.read { db in
            try Bool.fetchOne(db, sql: "SELECT COUNT(*) > 0 FROM inputs WHERE size = ?", arguments: [size]) ?? false
        }
    }

    /// Whether this content was processed as this scope (or before inputs had scopes).
    public func hasInput(scope: String, sha256: String) throws -> Bool {
        try database.read { db in
            try Bool.fetchOne(db, sql: "SELECT COUNT(*) > 0 FROM inputs WHERE sha256 = ? AND (scope = ? OR scope IS NULL)",
                              arguments: [sha256, scope]) ?? false
        }
    }

    /// Commits an input as processed together with the archive files it produced.
    public func record(_ input: ProcessedInput, files: [ArchivedFile], at epoch: Int64) throws {
        try database.write { db in
            for file in files { try insert(file, db) }
            // A legacy row of the same content (no scope) is this input's: replaced, not kept beside it.
            try db.execute(sql: "DELETE FROM inputs WHERE sha256 = ? AND (scope = ? OR scope IS NULL)",
                           arguments: [input.sha256, input.scope])
            try db.execute(sql: """
                INSERT INTO inputs (scope, sha256, path, size, lines, written, rejected, processed_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [input.scope, input.sha256, input.path, input.size, input.lines, input.written, input.rejected,
                                 Timestamp.iso8601UTC(epoch)])
        }
    }

    /// Adds or replaces archive files (a rewrite's product, or a file adopted by `audit --fix`).
    public func add(_ files: [ArchivedFile]) throws {
        try database.write { db in for file in files { try insert(file, db) } }
    }

    public func remove(path: String) throws {
        try database.write { db in try db.execute(sql: "DELETE FROM archive_files WHERE path = ?", arguments: [path]) }
    }

    public func files() throws -> [ArchivedFile] {
        try database.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM archive_files ORDER BY path").map { row in
                let policies: String = row["policies"]
                return ArchivedFile(
                    path: row["path"], kind: ArchivedFile.Kind(rawValue: row["kind"]) ?? .raw, inputSHA256: row["input_sha256"],
                    sha256: row["sha256"], size: row["size"], lines: row["lines"], firstEpoch: row["first_epoch"],
                    newestEpoch: row["newest_epoch"], policies: policies.split(separator: ",").map(String.init),
                    format: row["format"], site: row["site"], forcedPolicy: row["forced_policy"], label: row["label"],
                    createdEpoch: row["created_epoch"])
            }
        }
    }

    /// The archive files made from one input (its content read as its scope).
    public func files(inputScope: String, sha256: String) throws -> [ArchivedFile] {
        try files().filter { $0.inputSHA256 == sha256 && $0.inputScope == inputScope }
    }

    public func inputs() throws -> [ProcessedInput] {
        try database.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM inputs ORDER BY path, sha256, scope").map { row in
                ProcessedInput(scope: row["scope"], sha256: row["sha256"], path: row["path"], size: row["size"], lines: row["lines"],
                               written: row["written"], rejected: row["rejected"])
            }
        }
    }

    private func insert(_ file: ArchivedFile, _ db: Database) throws {
        try db.execute(sql: """
            INSERT OR REPLACE INTO archive_files (path, kind, input_sha256, sha256, size, lines, first_epoch, newest_epoch,
                                                  policies, format, site, forced_policy, label, created_epoch)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [file.path, file.kind.rawValue, file.inputSHA256, file.sha256, file.size, file.lines,
                             file.firstEpoch, file.newestEpoch, file.policies.joined(separator: ","), file.format,
                             file.site, file.forcedPolicy, file.label, file.createdEpoch])
    }
}
