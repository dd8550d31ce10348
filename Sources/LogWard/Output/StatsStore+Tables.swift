import Foundation
import GRDB
import LogWardAggregate

/// A value of a store's cell, whatever the database: what a copy to another store carries.
package enum StoreValue: Sendable, Hashable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob(Data)
}

/// Rows of one table or view, with their column names.
package struct StoreTable: Sendable, Equatable {
    package var columns: [String]
    package var rows: [[StoreValue]]

    package init(columns: [String], rows: [[StoreValue]]) {
        self.columns = columns
        self.rows = rows
    }
}

extension StatsStore {
    /// Content as the store identifies it: what was read as what.
    public struct ContentKey: Sendable, Hashable {
        /// nil for a file stored before scopes (it matches any scope).
        public var scope: String?
        public var sha256: String

        public init(scope: String?, sha256: String) {
            self.scope = scope
            self.sha256 = sha256
        }
    }

    /// The tables holding one file's numbers, copied whole to another store.
    package static let fileTables = ["day_totals", "day_rows", "day_visitor_sets"]

    /// Rows of a query, as plain values.
    package func table(_ sql: String, arguments: [StoreValue] = []) throws -> StoreTable {
        do {
            return try database.read { db in
                let statement = try db.makeStatement(sql: sql)
                let columns = statement.columnNames
                let rows = try Row.fetchAll(statement, arguments: StatementArguments(arguments.map(Self.databaseValue)))
                    .map { row in Array(row.databaseValues.map(Self.storeValue)) }
                return StoreTable(columns: columns, rows: rows)
            }
        } catch {
            throw Self.outputError(error, path: path)
        }
    }

    private static func storeValue(_ value: DatabaseValue) -> StoreValue {
        switch value.storage {
        case .null: return .null
        case .int64(let integer): return .integer(integer)
        case .double(let real): return .real(real)
        case .string(let text): return .text(text)
        case .blob(let data): return .blob(data)
        }
    }

    private static func databaseValue(_ value: StoreValue) -> DatabaseValue {
        switch value {
        case .null: return .null
        case .integer(let integer): return integer.databaseValue
        case .real(let real): return real.databaseValue
        case .text(let text): return text.databaseValue
        case .blob(let data): return data.databaseValue
        }
    }

    static func noteRestated(scope: String, sha256: String, _ db: Database) throws {
        try db.execute(sql: "INSERT OR IGNORE INTO restated (scope, sha256) VALUES (?, ?)", arguments: [scope, sha256])
    }

    /// Content whose numbers changed after it was first stored, not yet forgotten by a copy of the store.
    package func restated() throws -> [ContentKey] {
        try table("SELECT scope, sha256 FROM restated ORDER BY sha256, scope").rows.compactMap { row in
            guard case .text(let scope) = row[0], case .text(let sha256) = row[1] else { return nil }
            return ContentKey(scope: scope, sha256: sha256)
        }
    }

    /// Forgets restated content a copy of the store has taken.
    package func forgetRestated(_ keys: [ContentKey]) throws {
        do {
            try database.write { db in
                for key in keys {
                    try db.execute(sql: "DELETE FROM restated WHERE scope = ? AND sha256 = ?", arguments: [key.scope ?? "", key.sha256])
                }
            }
        } catch {
            throw Self.outputError(error, path: path)
        }
    }
}
