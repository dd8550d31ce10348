import Foundation
import Testing
import LogWard
@testable import LogWardPostgres

/// The PostgreSQL store (issue 17): the SQLite store's rows, row for row, with its guarantees (content identity,
/// one transaction per file, re-runs change nothing), and the Grafana dashboard's queries answering alike on both.
/// The server: `scripts/postgres-test-server` (run by `.ci/run`), or any at LOGWARD_TEST_POSTGRES.
@Suite(.serialized) struct PostgresStoreTests {
    static var serverURL: String {
        ProcessInfo.processInfo.environment["LOGWARD_TEST_POSTGRES"] ?? "postgres://logward:logward@127.0.0.1:5432/logward"
    }

    /// A new empty database for one test (dropped by `drop`), or nil with the failure recorded.
    static func freshDatabase() throws -> String? {
        let name = "logward_test_\(UUID().uuidString.prefix(8).lowercased())"
        let result = try CommandRunner.run(["psql", serverURL, "-q", "-v", "ON_ERROR_STOP=1", "-c", "CREATE DATABASE \(name)"],
                                           executable: "/usr/bin/env")
        guard result.status == 0 else {
            Issue.record("no PostgreSQL at \(StatsSinks.redacted(serverURL)): run scripts/postgres-test-server as root (.ci/run does): \(result.stderr)")
            return nil
        }
        guard var components = URLComponents(string: serverURL) else { return nil }
        components.path = "/" + name
        return components.string
    }

    static func drop(_ url: String) {
        guard let name = URLComponents(string: url)?.path.dropFirst() else { return }
        _ = try? CommandRunner.run(["psql", serverURL, "-q", "-c", "DROP DATABASE IF EXISTS \(name)"], executable: "/usr/bin/env")
    }

    /// Two files of one site over three days, sharing visitors and paths on the middle day, with response times.
    static func logs(in directory: TemporaryDirectory) throws -> [String] {
        func line(_ visitor: Int, _ day: Int, _ path: String, _ micros: Int) -> String {
            String(format: "192.0.2.%d - - [%02d/Mar/2024:10:%02d:00 +0000] \"GET %@ HTTP/1.1\" %d 100 \"https://ref%d.example/\" \"Mozilla/5.0 (X11; Linux x86_64) Firefox/120.0\" %d\n",
                   visitor, day, visitor, path, path.hasPrefix("/b/") ? 404 : 200, visitor % 2, micros)
        }
        var first = "", second = ""
        for visitor in 1...6 {
            first += line(visitor, 1, "/a", 1000 * visitor) + line(visitor, 2, "/shared", 2000 * visitor)
            second += line(visitor + 3, 2, "/shared", 3000 * visitor) + line(visitor, 3, "/b/\(visitor % 2)", 500 * visitor)
        }
        return [try directory.write("access.log.2", first), try directory.write("access.log.1", second)]
    }

    static let format = "%h %l %u %t \"%r\" %>s %b \"%{Referer}i\" \"%{User-Agent}i\" %D"

    static func stats(_ logs: [String], in directory: TemporaryDirectory, sqlite: String?, postgres: String?,
                      extra: [String] = []) throws -> CommandRunner.Result {
        var arguments = ["stats", "--rules", Fixtures.path("rules-stats"), "--site", "stats.test", "--keys", directory.path("keys"),
                         "--format", format]
        if let sqlite { arguments += ["--sqlite", sqlite] }
        if let postgres { arguments += ["--postgres", postgres] }
        return try CommandRunner.run(arguments + extra + logs)
    }

    /// Every table and view, with files named by content instead of ids, in both stores' canonical text.
    static func contents(sqlite: String, postgres: String) throws -> (sqlite: [String: [String]], postgres: [String: [String]]) {
        let store = try StatsStore(path: sqlite)
        let mirror = try PostgresStatsStore(url: postgres)
        defer { mirror.close() }
        var queries: [String: String] = [
            "files": "SELECT scope, path, size, sha256, lines, parsed, rejected FROM files",
            "day_unique": "SELECT * FROM day_unique",
            "row_unique": "SELECT * FROM row_unique",
            "response_times": "SELECT * FROM response_times",
            "daily": "SELECT * FROM daily",
            "daily_breakdown": "SELECT * FROM daily_breakdown",
            "daily_series": "SELECT * FROM daily_series",
            "breakdown_series": "SELECT * FROM breakdown_series",
        ]
        for name in StatsStore.fileTables {
            let columns = try store.table("SELECT * FROM \(name) LIMIT 0").columns.filter { $0 != "file_id" }
            queries[name] = "SELECT f.sha256, " + columns.map { "t.\($0)" }.joined(separator: ", ")
                + " FROM \(name) t JOIN files f ON f.id = t.file_id"
        }
        var result: (sqlite: [String: [String]], postgres: [String: [String]]) = ([:], [:])
        for (name, sql) in queries {
            result.sqlite[name] = canonical(try store.table(sql))
            result.postgres[name] = canonical(try mirror.table(sql))
        }
        return result
    }

    /// Rows as sorted text: column names, then values (a whole REAL equals an INTEGER, as SQLite mixes them).
    static func canonical(_ table: StoreTable) -> [String] {
        let rows = table.rows.map { row in
            zip(table.columns, row).map { column, value -> String in
                let text: String
                switch value {
                case .null: text = "NULL"
                case .integer(let integer): text = String(integer)
                case .real(let real): text = real == real.rounded() ? String(Int64(real)) : String(format: "%.6f", real)
                case .text(let string): text = "'" + string + "'"
                case .blob(let data): text = "x" + data.map { String(format: "%02x", $0) }.joined()
                }
                return column + "=" + text
            }.joined(separator: " ")
        }
        return rows.sorted()
    }

    @Test func bothStoresHoldTheSameRowsAndReRunsChangeNothing() throws {
        guard let postgres = try Self.freshDatabase() else { return }
        defer { Self.drop(postgres) }
        let directory = try TemporaryDirectory()
        let logs = try Self.logs(in: directory)
        let sqlite = directory.path("stats.sqlite")
        let first = try Self.stats(logs, in: directory, sqlite: sqlite, postgres: postgres)
        #expect(first.status == 0, "\(first.stderr)")
        let stores = try Self.contents(sqlite: sqlite, postgres: postgres)
        #expect(stores.sqlite == stores.postgres)
        // The numbers themselves: 9 distinct visitors on the shared day (1-6 and 4-9), the shared path's union.
        #expect(stores.postgres["day_unique"]!.contains("site='stats.test' day='2024-03-02' policy='stats-test' visitors=9"))
        #expect(stores.postgres["row_unique"]!.contains("site='stats.test' day='2024-03-02' policy='stats-test' dimension='path' key='/shared' visitors=9"))
        #expect(stores.postgres["daily_series"]!.count == 3)
        #expect(stores.postgres["daily_series"]!.contains { $0.hasPrefix("time=1709337600 site='stats.test' day='2024-03-02'") })
        // Again, the same files: nothing changes, not even ids.
        let mirror = try PostgresStatsStore(url: postgres)
        let before = try Self.canonical(mirror.table("SELECT * FROM files")) + Self.canonical(mirror.table("SELECT * FROM day_rows"))
        mirror.close()
        let again = try Self.stats(logs, in: directory, sqlite: sqlite, postgres: postgres)
        #expect(again.status == 0, "\(again.stderr)")
        let reopened = try PostgresStatsStore(url: postgres)
        defer { reopened.close() }
        #expect(try Self.canonical(reopened.table("SELECT * FROM files")) + Self.canonical(reopened.table("SELECT * FROM day_rows")) == before)
        #expect(try Self.contents(sqlite: sqlite, postgres: postgres).postgres == stores.postgres)
    }

    /// PostgreSQL as the only store (a temporary SQLite one per run): a day two runs share is recounted over both
    /// runs' visitor sets there, as one SQLite store over both files counts it.
    @Test func postgresAloneUnitesVisitorsAcrossRuns() throws {
        guard let postgres = try Self.freshDatabase() else { return }
        defer { Self.drop(postgres) }
        let directory = try TemporaryDirectory()
        let logs = try Self.logs(in: directory)
        for log in logs {
            let result = try Self.stats([log], in: directory, sqlite: nil, postgres: postgres)
            #expect(result.status == 0, "\(result.stderr)")
        }
        let reference = directory.path("reference.sqlite")
        #expect(try Self.stats(logs, in: directory, sqlite: reference, postgres: nil).status == 0)
        let stores = try Self.contents(sqlite: reference, postgres: postgres)
        for name in ["daily", "daily_breakdown", "day_unique", "row_unique", "response_times", "daily_series"] {
            #expect(stores.sqlite[name] == stores.postgres[name], "\(name)")
        }
    }

    /// A run that counted into SQLite without reaching PostgreSQL is caught up by the next run that names it.
    @Test func theNextRunCatchesUp() throws {
        guard let postgres = try Self.freshDatabase() else { return }
        defer { Self.drop(postgres) }
        let directory = try TemporaryDirectory()
        let logs = try Self.logs(in: directory)
        let sqlite = directory.path("stats.sqlite")
        let unreachable = try Self.stats([logs[0]], in: directory, sqlite: sqlite, postgres: "postgres://logward:secret-word@127.0.0.1:1/none",
                                         extra: ["--html", directory.path("report.html")])
        #expect(unreachable.status == 3)
        // The files the dashboards read are written before PostgreSQL is tried.
        #expect(FileManager.default.fileExists(atPath: directory.path("report.html")))
        #expect(unreachable.stderr.contains("postgres://logward:***@127.0.0.1:1/none"), "\(unreachable.stderr)")
        #expect(!unreachable.stderr.contains("secret-word"))
        let next = try Self.stats([logs[1]], in: directory, sqlite: sqlite, postgres: postgres)
        #expect(next.status == 0, "\(next.stderr)")
        let stores = try Self.contents(sqlite: sqlite, postgres: postgres)
        #expect(stores.sqlite == stores.postgres)
        #expect(stores.postgres["files"]!.count == 2)
    }

    /// The Grafana dashboard's queries, run on both stores with its macros expanded: same answers, none empty.
    @Test func theGrafanaDashboardQueriesAnswerAlikeOnBothStores() throws {
        guard let postgres = try Self.freshDatabase() else { return }
        defer { Self.drop(postgres) }
        let directory = try TemporaryDirectory()
        let sqlite = directory.path("stats.sqlite")
        #expect(try Self.stats(try Self.logs(in: directory), in: directory, sqlite: sqlite, postgres: postgres).status == 0)
        let data = try Data(contentsOf: Fixtures.repositoryRoot.appendingPathComponent("contrib/grafana/logward.json"))
        let dashboard = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let panels = try #require(dashboard["panels"] as? [[String: Any]])
        let queries = panels.flatMap { ($0["targets"] as? [[String: Any]] ?? []).compactMap { $0["rawSql"] as? String } }
        #expect(queries.count >= 5)
        let store = try StatsStore(path: sqlite)
        let mirror = try PostgresStatsStore(url: postgres)
        defer { mirror.close() }
        for query in queries {
            let sql = query.replacingOccurrences(of: "$__unixEpochFilter(time)", with: "time BETWEEN 1709251200 AND 1709510400")
                .replacingOccurrences(of: "$site", with: "stats.test")
            let fromSQLite = Self.canonical(try store.table(sql))
            #expect(!fromSQLite.isEmpty, "no rows: \(query.prefix(80))")
            #expect(fromSQLite == Self.canonical(try mirror.table(sql)), "\(sql)")
        }
    }

    @Test func aBadURLIsAUsageError() throws {
        let directory = try TemporaryDirectory()
        let result = try Self.stats([try Self.logs(in: directory)[0]], in: directory, sqlite: directory.path("s.sqlite"),
                                    postgres: "mysql://someone@db/x")
        #expect(result.status == 2, "\(result.stderr)")
        #expect(result.stderr.contains("is not a postgres://"))
    }

    /// The nightly job with `postgres:` and `report:` in its config: both written; an erasure then restates the
    /// person's inputs in PostgreSQL as in SQLite (raw copies recounted), so no copy keeps the erased numbers.
    @Test func theNightlyJobAndAnErasureKeepPostgresEqualToSQLite() throws {
        guard let postgres = try Self.freshDatabase() else { return }
        defer { Self.drop(postgres) }
        let directory = try TemporaryDirectory()
        for day in ["2009-12-05", "2009-12-06"] {
            try SyntheticLogs.write(directory.path("in/access.log.\(day).gz"), day: day, count: 40)
        }
        let config = try directory.write("logward.yaml", """
            rules: \(Fixtures.repositoryRoot.appendingPathComponent("rules").path)
            archive: archive
            keep_raw: true
            inputs:
              - {paths: ["in/access.log.*.gz"], site: groups.im, format: combined}
            stats:
              postgres: \(postgres)
              report: report.html

            """)
        let run = try CommandRunner.run(["run", "--config", config, "--now", "2009-12-08T03:00:00Z"])
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        let html = try String(contentsOfFile: directory.path("report.html"), encoding: .utf8)
        // Five visitors a day under groups.im's k = 10: the report withholds both days, as every export does.
        #expect(html.contains("2 site-day(s) withheld") && !html.contains("id=\"site-groups.im\""))
        let sqlite = directory.path("archive/stats.sqlite")
        let before = try Self.contents(sqlite: sqlite, postgres: postgres)
        #expect(before.sqlite == before.postgres)
        #expect(before.postgres["files"]!.count == 2)
        let erase = try CommandRunner.run(["erase", "--config", config, "--site", "groups.im", "--client", "198.51.100.10", "--apply"])
        #expect(erase.status == 0, "\(erase.stdout)\(erase.stderr)")
        #expect(erase.stdout.contains("PostgreSQL store: 2 input(s) copied with their recounted statistics"), "\(erase.stdout)")
        let after = try Self.contents(sqlite: sqlite, postgres: postgres)
        #expect(after.sqlite == after.postgres)
        #expect(after.postgres["daily"] != before.postgres["daily"])

        // Another person erased while PostgreSQL is unreachable: the erasure is done and says PostgreSQL was not
        // updated (exit 3); SQLite keeps the record, and the next run that reaches PostgreSQL replaces both inputs,
        // though it has no new file to count.
        let unreachable = try String(contentsOfFile: config, encoding: .utf8)
            .replacingOccurrences(of: postgres, with: "postgres://logward:secret-word@127.0.0.1:1/none")
        let offline = try directory.write("offline.yaml", unreachable)
        let missed = try CommandRunner.run(["erase", "--config", offline, "--site", "groups.im", "--client", "198.51.100.11", "--apply"])
        #expect(missed.status == 3, "\(missed.stdout)\(missed.stderr)")
        #expect(missed.stdout.hasPrefix("logward erase: removed 32 line(s)") && missed.stdout.contains("PostgreSQL store: not updated"), "\(missed.stdout)")
        #expect(!missed.stdout.contains("secret-word") && !missed.stderr.contains("secret-word") && !missed.stdout.contains("198.51.100.11"))
        let stale = try Self.contents(sqlite: sqlite, postgres: postgres)
        #expect(stale.postgres == after.postgres && stale.sqlite != after.sqlite)
        let nextRun = try CommandRunner.run(["run", "--config", config, "--now", "2009-12-08T04:00:00Z"])
        #expect(nextRun.status == 0, "\(nextRun.stdout)\(nextRun.stderr)")
        let caughtUp = try Self.contents(sqlite: sqlite, postgres: postgres)
        #expect(caughtUp.sqlite == caughtUp.postgres)
        #expect(try StatsStore(path: sqlite).restated().isEmpty)
    }
}
