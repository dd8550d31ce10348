import LogWardAggregate
import Foundation
import GRDB

/// The statistics database (SQLite through GRDB). Each input file's contribution is stored under the file's
/// identity (scope and SHA-256: the site it was read as, and its bytes) and replaced as a whole in one transaction: re-running a night adds nothing,
/// and a file that failed midway contributes nothing. Dashboards read the `daily` and `daily_breakdown` views.
public final class StatsStore {
    public struct FileIdentity: Sendable, Equatable {
        /// What the file was read as (see `PolicyChoice.scope`): the same bytes read as another site are another file.
        public var scope: String
        public var path: String
        public var size: Int64
        public var sha256: String

        public init(scope: String = "*", path: String, size: Int64, sha256: String) {
            self.scope = scope
            self.path = path
            self.size = size
            self.sha256 = sha256
        }
    }

    public enum Outcome: Equatable, Sendable {
        case stored
        /// The same content was already stored: nothing was written.
        case alreadyStored
        /// More of the file's lines were rejected than the run allows (a wrong format, most likely): nothing was
        /// stored, so the file is counted when it is read again with the right format.
        case overRejectRate
    }

    let database: DatabaseQueue
    public let path: String

    /// Whether this run created the database file (a run that fails before storing anything removes it).
    public let createdHere: Bool

    public init(path: String) throws {
        self.path = path
        do {
            (database, createdHere) = try PrivateDatabase.open(path: path, migrator: Self.migrator, foreignKeys: true)
        } catch {
            throw Self.outputError(error, path: path)
        }
    }

    /// A SQLite failure in logward's words, naming the database file (a full disk is exit 3, as any output).
    static func outputError(_ error: any Error, path: String) -> any Error {
        guard let database = error as? DatabaseError else { return error }
        return OutputError(path: path, reason: database.message ?? "SQLite error \(database.resultCode.rawValue)")
    }

    /// Removes the database with its journal, after a failure, when this run created it and stored nothing in
    /// it (a failed transaction may leave the database unreadable: the caller knows what it stored).
    public func removeIfCreatedHere() {
        guard createdHere else { return }
        try? database.close()
        PrivateDatabase.remove(path)
    }

    /// The schema as named migrations, never edited once shipped: a new version adds a migration.
    package static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE files (
                    id INTEGER PRIMARY KEY,
                    path TEXT NOT NULL,
                    size INTEGER NOT NULL,
                    sha256 TEXT NOT NULL UNIQUE,
                    lines INTEGER NOT NULL,
                    parsed INTEGER NOT NULL,
                    rejected INTEGER NOT NULL
                );
                CREATE TABLE day_totals (
                    file_id INTEGER NOT NULL REFERENCES files(id) ON DELETE CASCADE,
                    site TEXT NOT NULL,
                    day TEXT NOT NULL,
                    policy TEXT NOT NULL,
                    audience TEXT NOT NULL,
                    k_anonymity INTEGER NOT NULL,
                    requests INTEGER NOT NULL,
                    failed INTEGER NOT NULL,
                    bytes INTEGER NOT NULL,
                    page_views INTEGER NOT NULL,
                    visits INTEGER NOT NULL,
                    visit_seconds INTEGER NOT NULL,
                    PRIMARY KEY (file_id, site, day)
                );
                CREATE INDEX day_totals_site_day ON day_totals(site, day);
                CREATE TABLE day_rows (
                    file_id INTEGER NOT NULL REFERENCES files(id) ON DELETE CASCADE,
                    site TEXT NOT NULL,
                    day TEXT NOT NULL,
                    dimension TEXT NOT NULL,
                    key TEXT NOT NULL,
                    hits INTEGER NOT NULL,
                    bytes INTEGER NOT NULL,
                    visitors INTEGER,
                    PRIMARY KEY (file_id, site, day, dimension, key)
                );
                CREATE INDEX day_rows_site_day ON day_rows(site, day, dimension);
                CREATE TABLE day_visitors (
                    site TEXT NOT NULL,
                    day TEXT NOT NULL,
                    visitor INTEGER NOT NULL,
                    file_id INTEGER NOT NULL REFERENCES files(id) ON DELETE CASCADE,
                    PRIMARY KEY (site, day, visitor, file_id)
                ) WITHOUT ROWID;
                CREATE INDEX day_visitors_file ON day_visitors(file_id);
                CREATE VIEW daily AS
                    SELECT t.site, t.day, MAX(t.policy) AS policy, MAX(t.audience) AS audience,
                           MAX(t.k_anonymity) AS k_anonymity,
                           SUM(t.requests) AS requests, SUM(t.failed) AS failed, SUM(t.bytes) AS bytes,
                           SUM(t.page_views) AS page_views,
                           (SELECT COUNT(DISTINCT v.visitor) FROM day_visitors v WHERE v.site = t.site AND v.day = t.day) AS visitors,
                           SUM(t.visits) AS visits, SUM(t.visit_seconds) AS visit_seconds,
                           CASE WHEN SUM(t.visits) > 0 THEN SUM(t.visit_seconds) * 1.0 / SUM(t.visits) ELSE 0 END AS average_visit_seconds
                    FROM day_totals t GROUP BY t.site, t.day;
                CREATE VIEW daily_breakdown AS
                    SELECT site, day, dimension, key, SUM(hits) AS hits, SUM(bytes) AS bytes, SUM(visitors) AS visitors
                    FROM day_rows GROUP BY site, day, dimension, key;
                """)
        }
        migrator.registerMigration("v2") { db in
            // Visitor pseudonyms move from one row each (half a million rows for a busy file, most of the time
            // spent storing statistics) to one sorted blob per file, site and day; distinct counts across files
            // are kept in day_unique, recomputed by logward whenever it stores a file.
            try db.execute(sql: """
                CREATE TABLE day_visitor_sets (
                    file_id INTEGER NOT NULL REFERENCES files(id) ON DELETE CASCADE,
                    site TEXT NOT NULL,
                    day TEXT NOT NULL,
                    visitors BLOB NOT NULL,
                    PRIMARY KEY (file_id, site, day)
                );
                CREATE INDEX day_visitor_sets_site_day ON day_visitor_sets(site, day);
                CREATE TABLE day_unique (
                    site TEXT NOT NULL,
                    day TEXT NOT NULL,
                    visitors INTEGER NOT NULL,
                    PRIMARY KEY (site, day)
                ) WITHOUT ROWID;
                CREATE TRIGGER day_unique_stale AFTER DELETE ON day_visitor_sets BEGIN
                    DELETE FROM day_unique WHERE site = OLD.site AND day = OLD.day;
                END;
                """)
            var sets: [String: (fileID: Int64, site: String, day: String, codes: [UInt64])] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT file_id, site, day, visitor FROM day_visitors") {
                let fileID: Int64 = row["file_id"], site: String = row["site"], day: String = row["day"], visitor: Int64 = row["visitor"]
                sets["\(fileID)\u{0}\(site)\u{0}\(day)", default: (fileID, site, day, [])].codes.append(UInt64(bitPattern: visitor))
            }
            for set in sets.values {
                try db.execute(sql: "INSERT INTO day_visitor_sets (file_id, site, day, visitors) VALUES (?, ?, ?, ?)",
                               arguments: [set.fileID, set.site, set.day, VisitorSetBlob.encode(set.codes.sorted())])
            }
            try db.execute(sql: """
                INSERT INTO day_unique SELECT site, day, COUNT(DISTINCT visitor) FROM day_visitors GROUP BY site, day;
                DROP VIEW daily;
                DROP TABLE day_visitors;
                CREATE VIEW daily AS
                    SELECT t.site, t.day, MAX(t.policy) AS policy, MAX(t.audience) AS audience,
                           MAX(t.k_anonymity) AS k_anonymity,
                           SUM(t.requests) AS requests, SUM(t.failed) AS failed, SUM(t.bytes) AS bytes,
                           SUM(t.page_views) AS page_views,
                           COALESCE((SELECT u.visitors FROM day_unique u WHERE u.site = t.site AND u.day = t.day),
                                    (SELECT MAX(length(s.visitors) / 8) FROM day_visitor_sets s WHERE s.site = t.site AND s.day = t.day),
                                    0) AS visitors,
                           SUM(t.visits) AS visits, SUM(t.visit_seconds) AS visit_seconds,
                           CASE WHEN SUM(t.visits) > 0 THEN SUM(t.visit_seconds) * 1.0 / SUM(t.visits) ELSE 0 END AS average_visit_seconds
                    FROM day_totals t GROUP BY t.site, t.day;
                """)
        }
        // Files are identified by scope and content. A file stored before has no scope (NULL), and matches any: its
        // next store replaces it rather than counting it twice.
        migrator.registerMigration("v3-scope") { db in
            try db.execute(sql: """
                CREATE TABLE files_v3 (
                    id INTEGER PRIMARY KEY,
                    scope TEXT,
                    path TEXT NOT NULL,
                    size INTEGER NOT NULL,
                    sha256 TEXT NOT NULL,
                    lines INTEGER NOT NULL,
                    parsed INTEGER NOT NULL,
                    rejected INTEGER NOT NULL,
                    UNIQUE (scope, sha256)
                );
                INSERT INTO files_v3 SELECT id, NULL, path, size, sha256, lines, parsed, rejected FROM files;
                DROP TABLE files;
                ALTER TABLE files_v3 RENAME TO files;
                """)
        }
        // A site's day is kept per policy version (a day that spans a version change is two, each labelled by the
        // version of its lines), and each breakdown row keeps its visitors' codes, so a row's count is of distinct
        // people over all the day's files (row_unique, as day_unique for the day), not a sum of per-file counts.
        migrator.registerMigration("v4-policy-days") { db in
            try db.execute(sql: """
                DROP VIEW daily;
                DROP VIEW daily_breakdown;
                DROP TRIGGER day_unique_stale;
                CREATE TABLE day_totals_v4 (
                    file_id INTEGER NOT NULL REFERENCES files(id) ON DELETE CASCADE,
                    site TEXT NOT NULL,
                    day TEXT NOT NULL,
                    policy TEXT NOT NULL,
                    audience TEXT NOT NULL,
                    k_anonymity INTEGER NOT NULL,
                    requests INTEGER NOT NULL,
                    failed INTEGER NOT NULL,
                    bytes INTEGER NOT NULL,
                    page_views INTEGER NOT NULL,
                    visits INTEGER NOT NULL,
                    visit_seconds INTEGER NOT NULL,
                    PRIMARY KEY (file_id, site, day, policy)
                );
                INSERT INTO day_totals_v4 SELECT * FROM day_totals;
                CREATE TABLE day_rows_v4 (
                    file_id INTEGER NOT NULL REFERENCES files(id) ON DELETE CASCADE,
                    site TEXT NOT NULL,
                    day TEXT NOT NULL,
                    policy TEXT NOT NULL,
                    dimension TEXT NOT NULL,
                    key TEXT NOT NULL,
                    hits INTEGER NOT NULL,
                    bytes INTEGER NOT NULL,
                    visitors INTEGER,
                    visitor_codes BLOB,
                    PRIMARY KEY (file_id, site, day, policy, dimension, key)
                );
                INSERT INTO day_rows_v4
                    SELECT r.file_id, r.site, r.day, t.policy, r.dimension, r.key, r.hits, r.bytes, r.visitors, NULL
                    FROM day_rows r JOIN day_totals t ON t.file_id = r.file_id AND t.site = r.site AND t.day = r.day;
                CREATE TABLE day_visitor_sets_v4 (
                    file_id INTEGER NOT NULL REFERENCES files(id) ON DELETE CASCADE,
                    site TEXT NOT NULL,
                    day TEXT NOT NULL,
                    policy TEXT NOT NULL,
                    visitors BLOB NOT NULL,
                    PRIMARY KEY (file_id, site, day, policy)
                );
                INSERT INTO day_visitor_sets_v4
                    SELECT s.file_id, s.site, s.day, t.policy, s.visitors
                    FROM day_visitor_sets s JOIN day_totals t ON t.file_id = s.file_id AND t.site = s.site AND t.day = s.day;
                CREATE TABLE day_unique_v4 (
                    site TEXT NOT NULL,
                    day TEXT NOT NULL,
                    policy TEXT NOT NULL,
                    visitors INTEGER NOT NULL,
                    PRIMARY KEY (site, day, policy)
                ) WITHOUT ROWID;
                INSERT INTO day_unique_v4
                    SELECT u.site, u.day, (SELECT MAX(t.policy) FROM day_totals t WHERE t.site = u.site AND t.day = u.day), u.visitors
                    FROM day_unique u WHERE EXISTS (SELECT 1 FROM day_totals t WHERE t.site = u.site AND t.day = u.day);
                DROP TABLE day_rows;
                DROP TABLE day_visitor_sets;
                DROP TABLE day_unique;
                DROP TABLE day_totals;
                ALTER TABLE day_totals_v4 RENAME TO day_totals;
                ALTER TABLE day_rows_v4 RENAME TO day_rows;
                ALTER TABLE day_visitor_sets_v4 RENAME TO day_visitor_sets;
                ALTER TABLE day_unique_v4 RENAME TO day_unique;
                CREATE INDEX day_totals_site_day ON day_totals(site, day, policy);
                CREATE INDEX day_rows_site_day ON day_rows(site, day, policy, dimension);
                CREATE INDEX day_visitor_sets_site_day ON day_visitor_sets(site, day, policy);
                CREATE TABLE row_unique (
                    site TEXT NOT NULL,
                    day TEXT NOT NULL,
                    policy TEXT NOT NULL,
                    dimension TEXT NOT NULL,
                    key TEXT NOT NULL,
                    visitors INTEGER NOT NULL,
                    PRIMARY KEY (site, day, policy, dimension, key)
                ) WITHOUT ROWID;
                -- A file deleted by hand leaves its days' distinct counts stale: until the next store recounts them, the
                -- views show a lower bound (the largest file's count), never a sum that could pass k on no one.
                CREATE TRIGGER day_unique_stale AFTER DELETE ON day_visitor_sets BEGIN
                    DELETE FROM day_unique WHERE site = OLD.site AND day = OLD.day AND policy = OLD.policy;
                    DELETE FROM row_unique WHERE site = OLD.site AND day = OLD.day AND policy = OLD.policy;
                END;
                CREATE VIEW daily AS
                    SELECT t.site, t.day, t.policy, MAX(t.audience) AS audience, MAX(t.k_anonymity) AS k_anonymity,
                           SUM(t.requests) AS requests, SUM(t.failed) AS failed, SUM(t.bytes) AS bytes,
                           SUM(t.page_views) AS page_views,
                           COALESCE((SELECT u.visitors FROM day_unique u WHERE u.site = t.site AND u.day = t.day AND u.policy = t.policy),
                                    (SELECT MAX(length(s.visitors) / 8) FROM day_visitor_sets s
                                     WHERE s.site = t.site AND s.day = t.day AND s.policy = t.policy),
                                    0) AS visitors,
                           SUM(t.visits) AS visits, SUM(t.visit_seconds) AS visit_seconds,
                           CASE WHEN SUM(t.visits) > 0 THEN SUM(t.visit_seconds) * 1.0 / SUM(t.visits) ELSE 0 END AS average_visit_seconds
                    FROM day_totals t GROUP BY t.site, t.day, t.policy;
                CREATE VIEW daily_breakdown AS
                    SELECT r.site, r.day, r.policy, r.dimension, r.key, SUM(r.hits) AS hits, SUM(r.bytes) AS bytes,
                           CASE WHEN COUNT(r.visitors) = 0 THEN NULL
                                ELSE COALESCE((SELECT u.visitors FROM row_unique u WHERE u.site = r.site AND u.day = r.day
                                               AND u.policy = r.policy AND u.dimension = r.dimension AND u.key = r.key),
                                              MAX(r.visitors)) END AS visitors
                    FROM day_rows r GROUP BY r.site, r.day, r.policy, r.dimension, r.key;
                """)
        }
        // Response times: each file's histogram per site-day and per path, and their union over files with its
        // mean and percentiles (response_times), recomputed with the distinct visitors whenever a file is stored.
        migrator.registerMigration("v5-response-times") { db in
            try db.execute(sql: """
                ALTER TABLE day_totals ADD COLUMN response_times BLOB;
                ALTER TABLE day_rows ADD COLUMN response_times BLOB;
                CREATE TABLE response_times (
                    site TEXT NOT NULL,
                    day TEXT NOT NULL,
                    policy TEXT NOT NULL,
                    dimension TEXT NOT NULL,
                    key TEXT NOT NULL,
                    requests INTEGER NOT NULL,
                    mean_ms REAL NOT NULL,
                    p50_ms REAL NOT NULL,
                    p95_ms REAL NOT NULL,
                    p99_ms REAL NOT NULL,
                    PRIMARY KEY (site, day, policy, dimension, key)
                ) WITHOUT ROWID;
                """)
        }
        // Time series for dashboards (Grafana): each day as the epoch second of its start, the day's response
        // times beside its totals, and whether an export would withhold the row (external and under k visitors).
        migrator.registerMigration("v6-series") { db in
            try db.execute(sql: Self.seriesViewsSQL(epoch: "CAST(strftime('%s', d.day) AS INTEGER)"))
        }
        // Content whose numbers changed after it was first stored (`--replace`, `--reprocess`, an erasure), recorded in
        // the same transaction as the change: a copy of the store (PostgreSQL) replaces these files, even when the run
        // that changed them could not reach it, and forgets them once it has.
        migrator.registerMigration("v7-restated") { db in
            try db.execute(sql: """
                CREATE TABLE restated (
                    scope TEXT NOT NULL,
                    sha256 TEXT NOT NULL,
                    PRIMARY KEY (scope, sha256)
                ) WITHOUT ROWID;
                """)
        }
        return migrator
    }

    /// The `daily_series` and `breakdown_series` views, in SQL both SQLite and PostgreSQL read; `epoch` turns
    /// `d.day` (`YYYY-MM-DD`) into the epoch second of its start.
    package static func seriesViewsSQL(epoch: String) -> String {
        """
        CREATE VIEW daily_series AS
            SELECT \(epoch) AS time, d.site, d.day, d.policy, d.audience, d.k_anonymity, d.requests, d.failed, d.bytes,
                   d.page_views, d.visitors, d.visits, d.visit_seconds, d.average_visit_seconds,
                   r.requests AS timed_requests, r.mean_ms AS response_ms_mean, r.p50_ms AS response_ms_p50,
                   r.p95_ms AS response_ms_p95, r.p99_ms AS response_ms_p99,
                   CASE WHEN d.audience = 'external' AND d.visitors < d.k_anonymity THEN 1 ELSE 0 END AS withheld
            FROM daily d LEFT JOIN response_times r
                ON r.site = d.site AND r.day = d.day AND r.policy = d.policy AND r.dimension = '' AND r.key = '';
        CREATE VIEW breakdown_series AS
            SELECT \(epoch) AS time, b.site, b.day, b.policy, d.audience, d.k_anonymity, b.dimension, b.key, b.hits, b.bytes,
                   b.visitors,
                   CASE WHEN d.audience = 'external' AND (d.visitors < d.k_anonymity
                             OR (b.visitors IS NOT NULL AND b.visitors < d.k_anonymity)) THEN 1 ELSE 0 END AS withheld
            FROM daily_breakdown b JOIN daily d ON d.site = b.site AND d.day = b.day AND d.policy = b.policy;
        """
    }

    /// Site-days under one policy: what distinct counts are kept for.
    public struct DayKey: Hashable, Sendable {
        public var site: String
        public var day: String
        public var policy: String

        public init(site: String, day: String, policy: String) {
            self.site = site
            self.day = day
            self.policy = policy
        }
    }

    /// The site-days a file contributed (before it is replaced or rewritten, their counts need recomputing).
    static func dayKeys(ofFile fileID: Int64, _ db: Database) throws -> Set<DayKey> {
        Set(try Row.fetchAll(db, sql: "SELECT site, day, policy FROM day_totals WHERE file_id = ?", arguments: [fileID]).map {
            DayKey(site: $0["site"], day: $0["day"], policy: $0["policy"])
        })
    }

    /// Recomputes the distinct visitors of site-days, whole and per breakdown row, over all their files' visitor
    /// codes. A row one file alone has keeps that file's count (no row_unique entry); a row several files have
    /// gets the size of the union (a row stored before rows kept codes shows its largest file's count). Days whose
    /// count a deleted file left stale are recounted too.
    static func refreshUniqueVisitors(_ db: Database, _ keys: Set<DayKey>) throws {
        var pending = keys
        for row in try Row.fetchAll(db, sql: """
            SELECT DISTINCT s.site, s.day, s.policy FROM day_visitor_sets s
            WHERE NOT EXISTS (SELECT 1 FROM day_unique u WHERE u.site = s.site AND u.day = s.day AND u.policy = s.policy)
            """) {
            pending.insert(DayKey(site: row["site"], day: row["day"], policy: row["policy"]))
        }
        for key in pending {
            let arguments: StatementArguments = [key.site, key.day, key.policy]
            let sets = try Data.fetchAll(db, sql: "SELECT visitors FROM day_visitor_sets WHERE site = ? AND day = ? AND policy = ?",
                                         arguments: arguments)
            try db.execute(sql: "DELETE FROM day_unique WHERE site = ? AND day = ? AND policy = ?", arguments: arguments)
            if let count = DerivedCounts.dayVisitors(sets) {
                try db.execute(sql: "INSERT INTO day_unique (site, day, policy, visitors) VALUES (?, ?, ?, ?)",
                               arguments: [key.site, key.day, key.policy, count])
            }
            try db.execute(sql: "DELETE FROM row_unique WHERE site = ? AND day = ? AND policy = ?", arguments: arguments)
            // Only rows several files share can differ from their one file's count.
            let shared = try Row.fetchAll(db, sql: """
                SELECT r.dimension, r.key, r.visitor_codes FROM day_rows r
                JOIN (SELECT dimension, key FROM day_rows WHERE site = ? AND day = ? AND policy = ? AND visitors IS NOT NULL
                      GROUP BY dimension, key HAVING COUNT(*) > 1) m ON m.dimension = r.dimension AND m.key = r.key
                WHERE r.site = ? AND r.day = ? AND r.policy = ? AND r.visitors IS NOT NULL
                """, arguments: [key.site, key.day, key.policy, key.site, key.day, key.policy]).map { row -> DerivedCounts.FileRow in
                let codes: Data? = row["visitor_codes"]
                return DerivedCounts.FileRow(dimension: row["dimension"], key: row["key"], codes: codes)
            }
            for row in DerivedCounts.rowVisitors(shared) {
                try db.execute(sql: "INSERT INTO row_unique (site, day, policy, dimension, key, visitors) VALUES (?, ?, ?, ?, ?, ?)",
                               arguments: [key.site, key.day, key.policy, row.dimension, row.key, row.visitors])
            }
            try refreshResponseTimes(db, key)
        }
    }

    /// The union of the site-day's response times over its files, the day's and each path's.
    private static func refreshResponseTimes(_ db: Database, _ key: DayKey) throws {
        let arguments: StatementArguments = [key.site, key.day, key.policy]
        try db.execute(sql: "DELETE FROM response_times WHERE site = ? AND day = ? AND policy = ?", arguments: arguments)
        let day = try Data.fetchAll(db, sql: """
            SELECT response_times FROM day_totals WHERE site = ? AND day = ? AND policy = ? AND response_times IS NOT NULL
            """, arguments: arguments)
        let rows = try Row.fetchAll(db, sql: """
            SELECT dimension, key, response_times FROM day_rows WHERE site = ? AND day = ? AND policy = ? AND response_times IS NOT NULL
            """, arguments: arguments).map { row -> (dimension: String, key: String, times: Data) in
            (dimension: row["dimension"] as String, key: row["key"] as String, times: row["response_times"] as Data)
        }
        for entry in DerivedCounts.responseTimes(day: day, rows: rows) {
            let summary = entry.summary
            try db.execute(sql: """
                INSERT INTO response_times (site, day, policy, dimension, key, requests, mean_ms, p50_ms, p95_ms, p99_ms)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [key.site, key.day, key.policy, entry.dimension, entry.key, summary.requests, summary.meanMs,
                                 summary.p50Ms, summary.p95Ms, summary.p99Ms])
        }
    }

    /// Applied migrations, oldest first (GRDB keeps them in `grdb_migrations`: the schema version).
    public func schemaVersions() throws -> [String] {
        try database.read { db in try Self.migrator.appliedMigrations(db) }
    }

    /// Whether this content read as this scope is stored (or was, before files had scopes).
    public func contains(_ file: FileIdentity) throws -> Bool {
        try database.read { db in
            try Bool.fetchOne(db, sql: "SELECT COUNT(*) > 0 FROM files WHERE sha256 = ? AND (scope = ? OR scope IS NULL)",
                              arguments: [file.sha256, file.scope]) ?? false
        }
    }

    /// Stores a file's days, replacing what the same content contributed before, in one transaction.
    /// With `replace` false, content already stored is left untouched (the database file does not change).
    @discardableResult
    public func store(_ file: FileIdentity, lines: Int, parsed: Int, rejected: Int, days: [DayStats],
                      replace: Bool = false) throws -> Outcome {
        do {
            if !replace, try contains(file) {
                try discardStaged()
                return .alreadyStored
            }
            try write(file, lines: lines, parsed: parsed, rejected: rejected, days: days)
        } catch {
            throw Self.outputError(error, path: path)
        }
        return .stored
    }

    private func write(_ file: FileIdentity, lines: Int, parsed: Int, rejected: Int, days: [DayStats]) throws {
        try database.write { db in
            // Cascades to its rows and visitor sets; the days it counted in are recounted with the new ones.
            var touched = Set(days.map { DayKey(site: $0.site, day: $0.day, policy: $0.policyID) })
            for id in try Int64.fetchAll(db, sql: "SELECT id FROM files WHERE sha256 = ? AND (scope = ? OR scope IS NULL)",
                                         arguments: [file.sha256, file.scope]) {
                touched.formUnion(try Self.dayKeys(ofFile: id, db))
                try db.execute(sql: "DELETE FROM files WHERE id = ?", arguments: [id])
                try Self.noteRestated(scope: file.scope, sha256: file.sha256, db)
            }
            try db.execute(sql: "INSERT INTO files (scope, path, size, sha256, lines, parsed, rejected) VALUES (?, ?, ?, ?, ?, ?, ?)",
                           arguments: [file.scope, file.path, file.size, file.sha256, lines, parsed, rejected])
            let fileID = db.lastInsertedRowID
            // The days staged during the pass join the file in this transaction, merged with any still open.
            let (open, staged) = try Self.takeStaged(into: fileID, days: days, db)
            touched.formUnion(staged)
            try Self.insert(open, fileID: fileID, prefix: "", db)
            try Self.refreshUniqueVisitors(db, touched)
        }
    }

    /// Takes visitor codes out of one input's site-days (an erasure with no raw copy to recount from): its day and
    /// row visitor sets lose them, each row's count is its remaining codes, and the distinct counts over files are
    /// recomputed. Returns how many codes left a day's visitor set.
    @discardableResult
    public func removeVisitors(scope: String, sha256: String, codes: [DayKey: Set<UInt64>]) throws -> Int {
        var removed = 0
        do {
            try database.write { db in
                let ids = try Int64.fetchAll(db, sql: "SELECT id FROM files WHERE sha256 = ? AND (scope = ? OR scope IS NULL)",
                                             arguments: [sha256, scope])
                if !ids.isEmpty { try Self.noteRestated(scope: scope, sha256: sha256, db) }
                for id in ids {
                    for (key, gone) in codes where !gone.isEmpty {
                        let where_ = "file_id = ? AND site = ? AND day = ? AND policy = ?"
                        let arguments: StatementArguments = [id, key.site, key.day, key.policy]
                        if let blob = try Data.fetchOne(db, sql: "SELECT visitors FROM day_visitor_sets WHERE \(where_)", arguments: arguments) {
                            let before = VisitorSetBlob.decode(blob)
                            let after = before.filter { !gone.contains($0) }
                            removed += before.count - after.count
                            try db.execute(sql: "UPDATE day_visitor_sets SET visitors = ? WHERE \(where_)",
                                           arguments: [VisitorSetBlob.encode(after), id, key.site, key.day, key.policy])
                        }
                        for row in try Row.fetchAll(db, sql: """
                            SELECT dimension, key, visitor_codes FROM day_rows WHERE \(where_) AND visitor_codes IS NOT NULL
                            """, arguments: arguments) {
                            let codes: Data = row["visitor_codes"]
                            let before = VisitorSetBlob.decode(codes)
                            let after = before.filter { !gone.contains($0) }
                            guard after.count != before.count else { continue }
                            let dimension: String = row["dimension"]
                            let name: String = row["key"]
                            try db.execute(sql: "UPDATE day_rows SET visitor_codes = ?, visitors = ? WHERE \(where_) AND dimension = ? AND key = ?",
                                           arguments: [VisitorSetBlob.encode(after), after.count, id, key.site, key.day, key.policy, dimension, name])
                        }
                    }
                }
                try Self.refreshUniqueVisitors(db, Set(codes.keys))
            }
        } catch {
            throw Self.outputError(error, path: path)
        }
        return removed
    }

    private static func responseTimeSummaries(_ db: Database) throws -> [[String]: ResponseTimeSummary] {
        var result: [[String]: ResponseTimeSummary] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT * FROM response_times") {
            let key: [String] = ["site", "day", "policy", "dimension", "key"].map { row[$0] as String }
            let requests: Int = row["requests"]
            let milliseconds: [Double] = ["mean_ms", "p50_ms", "p95_ms", "p99_ms"].map { row[$0] as Double }
            result[key] = ResponseTimeSummary(requests: requests, meanMs: milliseconds[0], p50Ms: milliseconds[1],
                                              p95Ms: milliseconds[2], p99Ms: milliseconds[3])
        }
        return result
    }

    /// Every site-day total, for exports.
    public func daily() throws -> [DailyRow] {
        try database.read { db in
            let times = try Self.responseTimeSummaries(db)
            return try Row.fetchAll(db, sql: "SELECT * FROM daily ORDER BY site, day, policy").map { row in
                var daily = DailyRow(site: row["site"], day: row["day"], policy: row["policy"],
                                     audience: Policy.Audience(rawValue: row["audience"]) ?? .internal, kAnonymity: row["k_anonymity"],
                                     requests: row["requests"], failed: row["failed"], bytes: row["bytes"], pageViews: row["page_views"],
                                     visitors: row["visitors"], visits: row["visits"], visitSeconds: row["visit_seconds"])
                daily.responseTimes = times[[daily.site, daily.day, daily.policy, "", ""]]
                return daily
            }
        }
    }

    /// Every breakdown row, summed over files.
    public func breakdown() throws -> [BreakdownRow] {
        try database.read { db in
            let times = try Self.responseTimeSummaries(db)
            return try Row.fetchAll(db, sql: "SELECT * FROM daily_breakdown ORDER BY site, day, policy, dimension, hits DESC, key").map { row in
                var breakdown = BreakdownRow(site: row["site"], day: row["day"], policy: row["policy"], dimension: row["dimension"],
                                             key: row["key"], hits: row["hits"], bytes: row["bytes"], visitors: row["visitors"])
                breakdown.responseTimes = times[[breakdown.site, breakdown.day, breakdown.policy, breakdown.dimension, breakdown.key]]
                return breakdown
            }
        }
    }
}

public struct DailyRow: Sendable, Equatable, Codable {
    public var site: String
    public var day: String
    public var policy: String
    public var audience: Policy.Audience
    public var kAnonymity: Int
    public var requests: Int
    public var failed: Int
    public var bytes: Int64
    public var pageViews: Int
    public var visitors: Int
    public var visits: Int
    public var visitSeconds: Int64
    /// Response times over the day's files (nil when the format logs none).
    public var responseTimes: ResponseTimeSummary? = nil

    public var averageVisitSeconds: Double { visits == 0 ? 0 : Double(visitSeconds) / Double(visits) }

    /// One vocabulary in every sink: the SQLite view's and the CSV header's names.
    enum CodingKeys: String, CodingKey {
        case site, day, policy, audience, requests, failed, bytes, visitors, visits
        case kAnonymity = "k_anonymity"
        case pageViews = "page_views"
        case visitSeconds = "visit_seconds"
        case responseTimes = "response_times"
    }

    private enum DerivedKeys: String, CodingKey {
        case averageVisitSeconds = "average_visit_seconds"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(site, forKey: .site)
        try container.encode(day, forKey: .day)
        try container.encode(policy, forKey: .policy)
        try container.encode(audience, forKey: .audience)
        try container.encode(kAnonymity, forKey: .kAnonymity)
        try container.encode(requests, forKey: .requests)
        try container.encode(failed, forKey: .failed)
        try container.encode(bytes, forKey: .bytes)
        try container.encode(pageViews, forKey: .pageViews)
        try container.encode(visitors, forKey: .visitors)
        try container.encode(visits, forKey: .visits)
        try container.encode(visitSeconds, forKey: .visitSeconds)
        try container.encodeIfPresent(responseTimes, forKey: .responseTimes)
        var derived = encoder.container(keyedBy: DerivedKeys.self)
        try derived.encode((averageVisitSeconds * 10).rounded() / 10, forKey: .averageVisitSeconds)
    }
}

public struct BreakdownRow: Sendable, Equatable, Codable {
    public var site: String
    public var day: String
    /// The policy version of its lines (a day that spans a version change has rows under each).
    public var policy: String
    public var dimension: String
    public var key: String
    public var hits: Int
    public var bytes: Int64
    public var visitors: Int?
    /// Who may see the row: its site-day's audience (set by exports; nil straight from the store).
    public var audience: Policy.Audience? = nil
    /// Response times of a path's requests over the day's files (nil when the format logs none).
    public var responseTimes: ResponseTimeSummary? = nil

    enum CodingKeys: String, CodingKey {
        case site, day, policy, dimension, key, hits, bytes, visitors, audience
        case responseTimes = "response_times"
    }
}
