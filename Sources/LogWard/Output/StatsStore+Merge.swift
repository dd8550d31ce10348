import Foundation
import GRDB
import LogWardAggregate

extension StatsStore {
    /// What a merge did.
    public struct MergeOutcome: Sendable, Equatable {
        /// Input files whose statistics were copied in.
        public var merged = 0
        /// Input files this store already held (same scope and content): skipped, as a re-run is.
        public var skipped = 0

        public init(merged: Int = 0, skipped: Int = 0) {
            self.merged = merged
            self.skipped = skipped
        }
    }

    /// Unites another store into this one (`logward merge`): each file of `source` that this store does not hold
    /// (same scope and content) is copied with its day totals, breakdown rows and visitor sets, one transaction per
    /// source store; then the distinct counts of every site-day it touched are recomputed over the united visitor
    /// sets, so they stay exact whatever the order or grouping of merges. `source` is only read: an older one is
    /// migrated in a temporary copy.
    @discardableResult
    public func merge(from sourcePath: String) throws -> MergeOutcome {
        var readOnly = Configuration()
        readOnly.readonly = true
        var queue: DatabaseQueue
        var temporary: String?
        defer { if let temporary { PrivateDatabase.remove(temporary) } }
        do {
            queue = try DatabaseQueue(path: sourcePath, configuration: readOnly)
            let applied = try queue.read { db in try Self.migrator.appliedMigrations(db) }
            if applied != Self.migrator.migrations {
                // An older store is brought up to date in a copy: the input is never written.
                try queue.close()
                let copy = FileManager.default.temporaryDirectory.appendingPathComponent("logward-merge-\(UUID().uuidString).sqlite").path
                temporary = copy
                PrivateFile.createIfMissing(copy)
                unlink(copy)
                try FileManager.default.copyItem(atPath: sourcePath, toPath: copy)
                queue = try DatabaseQueue(path: copy)
                try Self.migrator.migrate(queue)
            }
        } catch {
            throw Self.outputError(error, path: sourcePath)
        }
        var outcome = MergeOutcome()
        do {
            let files = try queue.read { db in try Row.fetchAll(db, sql: "SELECT * FROM files ORDER BY id") }
            try database.write { db in
                var touched = Set<DayKey>()
                for file in files {
                    let scope: String? = file["scope"]
                    let sha256: String = file["sha256"]
                    // A file stored before scopes (NULL) is the same input as any file of its content.
                    let present = try Bool.fetchOne(db, sql: """
                        SELECT COUNT(*) > 0 FROM files WHERE sha256 = ? AND (scope = ? OR scope IS NULL OR ? IS NULL)
                        """, arguments: [sha256, scope, scope]) ?? false
                    if present {
                        outcome.skipped += 1
                        continue
                    }
                    try db.execute(sql: "INSERT INTO files (scope, path, size, sha256, lines, parsed, rejected) VALUES (?, ?, ?, ?, ?, ?, ?)",
                                   arguments: [scope, file["path"], file["size"], sha256, file["lines"], file["parsed"], file["rejected"]])
                    let fileID = db.lastInsertedRowID
                    let sourceID: Int64 = file["id"]
                    for table in ["day_totals", "day_rows", "day_visitor_sets"] {
                        let rows = try queue.read { source in
                            try Row.fetchAll(source, sql: "SELECT * FROM \(table) WHERE file_id = ?", arguments: [sourceID])
                        }
                        guard let first = rows.first else { continue }
                        let columns = Array(first.columnNames)
                        let statement = try db.makeStatement(sql: """
                            INSERT INTO \(table) (\(columns.joined(separator: ", "))) VALUES (\(columns.map { _ in "?" }.joined(separator: ", ")))
                            """)
                        for row in rows {
                            var values = Array(row.databaseValues)
                            values[columns.firstIndex(of: "file_id")!] = fileID.databaseValue
                            try statement.execute(arguments: StatementArguments(values))
                            if table == "day_totals" { touched.insert(DayKey(site: row["site"], day: row["day"], policy: row["policy"])) }
                        }
                    }
                    outcome.merged += 1
                }
                try Self.refreshUniqueVisitors(db, touched)
            }
        } catch {
            throw Self.outputError(error, path: path)
        }
        return outcome
    }
}
