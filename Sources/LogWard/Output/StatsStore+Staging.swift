import Foundation
import GRDB
import LogWardAggregate

/// Days a pass has moved past, set aside on disk before their file is stored: statistics memory then holds the
/// days still open, not every day of a file. The staging tables are SQLite temporary tables, private to this
/// store's connection and gone when it closes, so a killed run leaves nothing behind; `store` moves their rows
/// into the file's in the same transaction as the rest, so a file is still stored whole or not at all.
extension StatsStore: DaySpill {
    static let stagedTables = ["day_totals", "day_rows", "day_visitor_sets"]

    /// Sets a finished day of the file being read aside (`file_id` holds the part's number: a day a late line
    /// reopened is staged again, and the parts are merged when the file is stored).
    public func stage(_ day: DayStats) throws {
        do {
            try database.write { db in
                try Self.createStaging(db)
                let part = (try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(file_id), 0) + 1 FROM temp.staged_day_totals")) ?? 1
                try Self.insert([day], fileID: part, prefix: "temp.staged_", db)
            }
        } catch {
            throw Self.outputError(error, path: path)
        }
    }

    /// Drops what was staged for a file that is not stored (damaged, over the reject rate, already stored).
    public func discardStaged() throws {
        try database.write { db in
            for table in Self.stagedTables where try Self.stagingExists(db) {
                try db.execute(sql: "DELETE FROM temp.staged_\(table)")
            }
        }
    }

    static func stagingExists(_ db: Database) throws -> Bool {
        try Bool.fetchOne(db, sql: "SELECT COUNT(*) > 0 FROM sqlite_temp_master WHERE name = 'staged_day_totals'") ?? false
    }

    private static func createStaging(_ db: Database) throws {
        guard try !stagingExists(db) else { return }
        // The real tables' columns without their keys: a reopened day's parts sit side by side until merged.
        for table in stagedTables {
            try db.execute(sql: "CREATE TEMP TABLE staged_\(table) AS SELECT * FROM main.\(table) WHERE 0")
        }
    }

    /// Inserts days' totals, rows and visitor sets under `fileID` into the tables named `prefix` + table.
    static func insert(_ days: [DayStats], fileID: Int64, prefix: String, _ db: Database) throws {
        let totals = try db.makeStatement(sql: """
            INSERT INTO \(prefix)day_totals (file_id, site, day, policy, audience, k_anonymity, requests, failed, bytes,
                                    page_views, visits, visit_seconds, response_times) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        let rows = try db.makeStatement(sql: """
            INSERT INTO \(prefix)day_rows (file_id, site, day, policy, dimension, key, hits, bytes, visitors, visitor_codes,
                                  response_times) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        let visitorSets = try db.makeStatement(sql: "INSERT INTO \(prefix)day_visitor_sets (file_id, site, day, policy, visitors) VALUES (?, ?, ?, ?, ?)")
        for day in days {
            try totals.execute(arguments: [fileID, day.site, day.day, day.policyID, day.audience.rawValue, day.kAnonymity,
                                           day.requests, day.failed, day.bytes, day.pageViews, day.visits, day.visitSeconds,
                                           day.responseTimes?.encoded])
            for dimension in BreakdownDimension.allCases {
                for (key, row) in (day.rows[dimension] ?? [:]).sorted(by: { $0.key < $1.key }) {
                    try rows.execute(arguments: [fileID, day.site, day.day, day.policyID, dimension.rawValue, key, row.hits,
                                                 row.bytes, row.visitors, row.visitorCodes.map(VisitorSetBlob.encode),
                                                 row.responseTimes?.encoded])
                }
            }
            try visitorSets.execute(arguments: [fileID, day.site, day.day, day.policyID, VisitorSetBlob.encode(day.visitors)])
        }
    }

    /// Moves the staged days into `fileID`, merging a day staged in parts, or staged and still open (`days`), into
    /// one. Returns the open days left to insert (merged ones included) and the keys of the days staged.
    static func takeStaged(into fileID: Int64, days: [DayStats], _ db: Database) throws -> (open: [DayStats], staged: Set<DayKey>) {
        guard try stagingExists(db) else { return (days, []) }
        var open = Dictionary(days.map { (DayKey(site: $0.site, day: $0.day, policy: $0.policyID), $0) }, uniquingKeysWith: { a, b in
            var merged = a
            merged.merge(b)
            return merged
        })
        var staged = Set<DayKey>()
        var split = Set<DayKey>()
        for row in try Row.fetchAll(db, sql: "SELECT site, day, policy, COUNT(*) AS parts FROM temp.staged_day_totals GROUP BY site, day, policy") {
            let key = DayKey(site: row["site"], day: row["day"], policy: row["policy"])
            staged.insert(key)
            let parts: Int = row["parts"]
            if parts > 1 || open[key] != nil { split.insert(key) }
        }
        // Rare (a line more than a day out of order): the parts are read back and merged in memory.
        for key in split {
            let keyArguments: StatementArguments = [key.site, key.day, key.policy]
            var merged = open[key]
            for part in try loadStaged(key, db) {
                if merged == nil { merged = part } else { merged!.merge(part) }
            }
            open[key] = merged
            for table in stagedTables {
                try db.execute(sql: "DELETE FROM temp.staged_\(table) WHERE site = ? AND day = ? AND policy = ?", arguments: keyArguments)
            }
        }
        for table in stagedTables {
            let columns = try db.columns(in: table).map(\.name)
            let selected = columns.map { $0 == "file_id" ? "?" : $0 }.joined(separator: ", ")
            try db.execute(sql: "INSERT INTO main.\(table) (\(columns.joined(separator: ", "))) SELECT \(selected) FROM temp.staged_\(table)",
                           arguments: [fileID])
            try db.execute(sql: "DELETE FROM temp.staged_\(table)")
        }
        return (Array(open.values), staged)
    }

    /// The staged parts of one site-day, as days.
    private static func loadStaged(_ key: DayKey, _ db: Database) throws -> [DayStats] {
        let arguments: StatementArguments = [key.site, key.day, key.policy]
        var parts: [Int64: DayStats] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT * FROM temp.staged_day_totals WHERE site = ? AND day = ? AND policy = ?", arguments: arguments) {
            var day = DayStats(site: key.site, day: key.day, policyID: key.policy,
                               audience: Policy.Audience(rawValue: row["audience"]) ?? .internal, kAnonymity: row["k_anonymity"])
            day.requests = row["requests"]
            day.failed = row["failed"]
            day.bytes = row["bytes"]
            day.pageViews = row["page_views"]
            day.visits = row["visits"]
            day.visitSeconds = row["visit_seconds"]
            day.responseTimes = (row["response_times"] as Data?).flatMap(ResponseTimes.init(encoded:))
            parts[row["file_id"]] = day
        }
        for row in try Row.fetchAll(db, sql: "SELECT * FROM temp.staged_day_rows WHERE site = ? AND day = ? AND policy = ?", arguments: arguments) {
            let part: Int64 = row["file_id"]
            guard let dimension = BreakdownDimension(rawValue: row["dimension"]) else { continue }
            let codes: Data? = row["visitor_codes"]
            parts[part]?.rows[dimension, default: [:]][row["key"]] = DayStats.Row(
                hits: row["hits"], bytes: row["bytes"], visitors: row["visitors"], visitorCodes: codes.map(VisitorSetBlob.decode),
                responseTimes: (row["response_times"] as Data?).flatMap(ResponseTimes.init(encoded:)))
        }
        for row in try Row.fetchAll(db, sql: "SELECT * FROM temp.staged_day_visitor_sets WHERE site = ? AND day = ? AND policy = ?", arguments: arguments) {
            let part: Int64 = row["file_id"]
            parts[part]?.visitors = VisitorSetBlob.decode(row["visitors"])
        }
        return parts.keys.sorted().map { parts[$0]! }
    }
}
