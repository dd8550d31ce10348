#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import GRDB

/// The statistics database (SQLite through GRDB). Each input file's contribution is stored under the file's
/// identity (path, size, SHA-256) and replaced as a whole in one transaction: re-running a night adds nothing,
/// and a file that failed midway contributes nothing. Dashboards read the `daily` and `daily_breakdown` views.
public final class StatsStore {
    public struct FileIdentity: Sendable, Equatable {
        public var path: String
        public var size: Int64
        public var sha256: String

        public init(path: String, size: Int64, sha256: String) {
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

    private let database: DatabaseQueue
    public let path: String

    /// Whether this run created the database file (a run that fails before storing anything removes it).
    public let createdHere: Bool

    public init(path: String) throws {
        self.path = path
        createdHere = access(path, F_OK) != 0
        // It holds visitor pseudonyms: 0600 from its first byte.
        if createdHere { PrivateFile.createIfMissing(path) }
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        do {
            database = try DatabaseQueue(path: path, configuration: configuration)
            try Self.migrator.migrate(database)
        } catch {
            // A database that could not even take its schema (a full disk) is not left behind half made.
            if createdHere { Self.remove(path) }
            throw Self.outputError(error, path: path)
        }
    }

    private static func remove(_ path: String) {
        for suffix in ["", "-journal", "-wal", "-shm"] { unlink(path + suffix) }
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
        Self.remove(path)
    }

    /// The schema as named migrations, never edited once shipped: a new version adds a migration.
    static var migrator: DatabaseMigrator {
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
        return migrator
    }

    /// Recomputes the distinct visitors of site-days: those given, and any whose count a deleted file left stale.
    private static func refreshUniqueVisitors(_ db: Database, _ keys: Set<[String]>) throws {
        var pending = keys
        for row in try Row.fetchAll(db, sql: """
            SELECT DISTINCT s.site, s.day FROM day_visitor_sets s
            WHERE NOT EXISTS (SELECT 1 FROM day_unique u WHERE u.site = s.site AND u.day = s.day)
            """) {
            pending.insert([row["site"], row["day"]])
        }
        for key in pending {
            let blobs = try Data.fetchAll(db, sql: "SELECT visitors FROM day_visitor_sets WHERE site = ? AND day = ?", arguments: [key[0], key[1]])
            let count = blobs.count == 1 ? blobs[0].count / 8 : VisitorSetBlob.distinctCount(blobs)
            try db.execute(sql: "INSERT OR REPLACE INTO day_unique (site, day, visitors) VALUES (?, ?, ?)", arguments: [key[0], key[1], count])
        }
    }

    /// Applied migrations, oldest first (GRDB keeps them in `grdb_migrations`: the schema version).
    public func schemaVersions() throws -> [String] {
        try database.read { db in try Self.migrator.appliedMigrations(db) }
    }

    public func contains(sha256: String) throws -> Bool {
        try database.read { db in
            try Bool.fetchOne(db, sql: "SELECT COUNT(*) > 0 FROM files WHERE sha256 = ?", arguments: [sha256]) ?? false
        }
    }

    /// Stores a file's days, replacing what the same content contributed before, in one transaction.
    /// With `replace` false, content already stored is left untouched (the database file does not change).
    @discardableResult
    public func store(_ file: FileIdentity, lines: Int, parsed: Int, rejected: Int, days: [DayStats],
                      replace: Bool = false) throws -> Outcome {
        do {
            if !replace, try contains(sha256: file.sha256) { return .alreadyStored }
            try write(file, lines: lines, parsed: parsed, rejected: rejected, days: days)
        } catch {
            throw Self.outputError(error, path: path)
        }
        return .stored
    }

    private func write(_ file: FileIdentity, lines: Int, parsed: Int, rejected: Int, days: [DayStats]) throws {
        try database.write { db in
            // Cascades to its rows and visitor sets; the trigger marks their days' distinct counts stale.
            try db.execute(sql: "DELETE FROM files WHERE sha256 = ?", arguments: [file.sha256])
            try db.execute(sql: "INSERT INTO files (path, size, sha256, lines, parsed, rejected) VALUES (?, ?, ?, ?, ?, ?)",
                           arguments: [file.path, file.size, file.sha256, lines, parsed, rejected])
            let fileID = db.lastInsertedRowID
            let totals = try db.makeStatement(sql: """
                INSERT INTO day_totals (file_id, site, day, policy, audience, k_anonymity, requests, failed, bytes,
                                        page_views, visits, visit_seconds) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            let rows = try db.makeStatement(sql: """
                INSERT INTO day_rows (file_id, site, day, dimension, key, hits, bytes, visitors) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """)
            let visitorSets = try db.makeStatement(sql: "INSERT INTO day_visitor_sets (file_id, site, day, visitors) VALUES (?, ?, ?, ?)")
            for day in days {
                try totals.execute(arguments: [fileID, day.site, day.day, day.policyID, day.audience.rawValue, day.kAnonymity,
                                               day.requests, day.failed, day.bytes, day.pageViews, day.visits, day.visitSeconds])
                for dimension in BreakdownDimension.allCases {
                    for (key, row) in (day.rows[dimension] ?? [:]).sorted(by: { $0.key < $1.key }) {
                        try rows.execute(arguments: [fileID, day.site, day.day, dimension.rawValue, key, row.hits, row.bytes, row.visitors])
                    }
                }
                try visitorSets.execute(arguments: [fileID, day.site, day.day, VisitorSetBlob.encode(day.visitors)])
            }
            try Self.refreshUniqueVisitors(db, Set(days.map { [$0.site, $0.day] }))
        }
    }

    /// Every site-day total, for exports.
    public func daily() throws -> [DailyRow] {
        try database.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM daily ORDER BY site, day").map { row in
                DailyRow(site: row["site"], day: row["day"], policy: row["policy"],
                         audience: Policy.Audience(rawValue: row["audience"]) ?? .internal, kAnonymity: row["k_anonymity"],
                         requests: row["requests"], failed: row["failed"], bytes: row["bytes"], pageViews: row["page_views"],
                         visitors: row["visitors"], visits: row["visits"], visitSeconds: row["visit_seconds"])
            }
        }
    }

    /// Every breakdown row, summed over files.
    public func breakdown() throws -> [BreakdownRow] {
        try database.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM daily_breakdown ORDER BY site, day, dimension, hits DESC, key").map { row in
                BreakdownRow(site: row["site"], day: row["day"], dimension: row["dimension"], key: row["key"],
                             hits: row["hits"], bytes: row["bytes"], visitors: row["visitors"])
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

    public var averageVisitSeconds: Double { visits == 0 ? 0 : Double(visitSeconds) / Double(visits) }
}

public struct BreakdownRow: Sendable, Equatable, Codable {
    public var site: String
    public var day: String
    public var dimension: String
    public var key: String
    public var hits: Int
    public var bytes: Int64
    public var visitors: Int?
    /// Who may see the row: its site-day's audience (set by exports; nil straight from the store).
    public var audience: Policy.Audience? = nil
}
