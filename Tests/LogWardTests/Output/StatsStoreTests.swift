import Foundation
import GRDB
import Testing
import LogWard

/// Distinct visitors across files: stored as one sorted blob per file, site and day, counted exactly over files.
@Suite struct StatsStoreTests {
    static func day(_ visitors: [UInt64], site: String = "s.test", day: String = "2026-11-20") -> DayStats {
        var stats = DayStats(site: site, day: day, policyID: "p", audience: .internal, kAnonymity: 10)
        stats.requests = visitors.count
        stats.visitors = visitors.sorted()
        return stats
    }

    static func identity(_ name: String) -> StatsStore.FileIdentity {
        StatsStore.FileIdentity(path: name, size: 1, sha256: String(repeating: name, count: 64))
    }

    @Test func visitorsAreCountedOnceOverFilesAndADeletedFileIsRepairedByTheNextStore() throws {
        let directory = try TemporaryDirectory()
        let store = try StatsStore(path: directory.path("s.sqlite"))
        try store.store(Self.identity("a"), lines: 3, parsed: 3, rejected: 0, days: [Self.day([1, 2, 3])])
        try store.store(Self.identity("b"), lines: 3, parsed: 3, rejected: 0, days: [Self.day([3, 4, UInt64.max])])
        #expect(try store.daily().map(\.visitors) == [5])
        #expect(try store.daily().map(\.requests) == [6])

        // A file removed by hand: its requests go at once, the distinct count falls back to the largest file's.
        let queue = try DatabaseQueue(path: directory.path("s.sqlite"))
        try queue.write { db in
            try db.execute(sql: "PRAGMA foreign_keys = ON")
            try db.execute(sql: "DELETE FROM files WHERE path = 'b'")
        }
        #expect(try store.daily().map(\.visitors) == [3])
        try store.store(Self.identity("c"), lines: 1, parsed: 1, rejected: 0, days: [Self.day([9], day: "2026-11-21")])
        #expect(try store.daily().map(\.visitors) == [3, 1])
        try store.store(Self.identity("d"), lines: 2, parsed: 2, rejected: 0, days: [Self.day([2, 8])])
        #expect(try store.daily().map(\.visitors) == [4, 1])
    }

    @Test func aVersionOneDatabaseMovesItsVisitorRowsIntoSets() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("old.sqlite")
        let queue = try DatabaseQueue(path: path)
        try StatsStore.migrator.migrate(queue, upTo: "v1")
        try queue.write { db in
            try db.execute(sql: "INSERT INTO files (id, path, size, sha256, lines, parsed, rejected) VALUES (1, 'a', 1, 'x', 2, 2, 0), (2, 'b', 1, 'y', 2, 2, 0)")
            try db.execute(sql: """
                INSERT INTO day_totals VALUES (1, 's.test', '2026-11-20', 'p', 'internal', 10, 2, 0, 0, 2, 2, 0),
                                              (2, 's.test', '2026-11-20', 'p', 'internal', 10, 2, 0, 0, 2, 2, 0)
                """)
            try db.execute(sql: "INSERT INTO day_visitors VALUES ('s.test', '2026-11-20', -5, 1), ('s.test', '2026-11-20', 7, 1), ('s.test', '2026-11-20', 7, 2), ('s.test', '2026-11-20', 11, 2)")
        }
        let before = try queue.read { db in try Int.fetchOne(db, sql: "SELECT visitors FROM daily") }
        #expect(before == 3)
        let store = try StatsStore(path: path)
        #expect(try store.schemaVersions() == ["v1", "v2", "v3-scope", "v4-policy-days", "v5-response-times", "v6-series", "v7-restated"])
        #expect(try store.daily().map(\.visitors) == [3])
        let blobs = try queue.read { db in try Data.fetchAll(db, sql: "SELECT visitors FROM day_visitor_sets ORDER BY file_id") }
        #expect(blobs.map(VisitorSetBlob.decode) == [[7, UInt64(bitPattern: -5)], [7, 11]])
    }
}
