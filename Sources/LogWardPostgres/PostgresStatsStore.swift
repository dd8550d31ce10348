import Foundation
import LogWard
import PostgresNIO

/// The statistics store in PostgreSQL, for Grafana: the SQLite store's schema (files, day totals, breakdown rows,
/// visitor sets, distinct counts, response times, and the `daily`, `daily_breakdown`, `daily_series` and
/// `breakdown_series` views) with its guarantees. Files are identified by scope and content; each file is copied
/// with its numbers in one transaction, its site-days' distinct counts recomputed over all files there; a file
/// already present is left alone, so re-runs change nothing. SQLite stays the store a run writes first: a run that
/// fails before publishing is caught up by the next one.
public final class PostgresStatsStore: StatsMirror {
    private let connection: PostgresConnection
    private let logger: Logger
    /// The URL without its password, for messages.
    public let location: String

    /// Opens a `postgres://` URL (see `PostgresURL`) and brings the schema up to date.
    public static func open(_ url: String) throws -> any StatsMirror { try PostgresStatsStore(url: url) }

    public init(url: String) throws {
        location = StatsSinks.redacted(url)
        var logger = Logger(label: "logward.postgres")
        logger.logLevel = .critical
        self.logger = logger
        let configuration = try PostgresURL.configuration(url)
        do {
            connection = try PostgresConnection.connect(on: NIOSingletons.posixEventLoopGroup.next(), configuration: configuration,
                                                        id: 1, logger: logger).wait()
        } catch {
            throw OutputError(path: location, reason: "cannot connect (\(Self.reason(error)))")
        }
        do {
            try migrate()
        } catch {
            close()
            throw error
        }
    }

    public func close() {
        try? connection.close().wait()
    }

    // MARK: Schema

    /// Named migrations, never edited once shipped (as the SQLite store's), recorded in `logward_migrations`.
    static let migrations: [(name: String, sql: String)] = [
        ("pg-v1", """
            CREATE TABLE files (
                id BIGSERIAL PRIMARY KEY,
                scope TEXT COLLATE "C",
                path TEXT NOT NULL,
                size BIGINT NOT NULL,
                sha256 TEXT NOT NULL,
                lines BIGINT NOT NULL,
                parsed BIGINT NOT NULL,
                rejected BIGINT NOT NULL,
                UNIQUE (scope, sha256)
            );
            CREATE TABLE day_totals (
                file_id BIGINT NOT NULL REFERENCES files(id) ON DELETE CASCADE,
                site TEXT COLLATE "C" NOT NULL,
                day TEXT COLLATE "C" NOT NULL,
                policy TEXT COLLATE "C" NOT NULL,
                audience TEXT NOT NULL,
                k_anonymity BIGINT NOT NULL,
                requests BIGINT NOT NULL,
                failed BIGINT NOT NULL,
                bytes BIGINT NOT NULL,
                page_views BIGINT NOT NULL,
                visits BIGINT NOT NULL,
                visit_seconds BIGINT NOT NULL,
                response_times BYTEA,
                PRIMARY KEY (file_id, site, day, policy)
            );
            CREATE INDEX day_totals_site_day ON day_totals(site, day, policy);
            CREATE TABLE day_rows (
                file_id BIGINT NOT NULL REFERENCES files(id) ON DELETE CASCADE,
                site TEXT COLLATE "C" NOT NULL,
                day TEXT COLLATE "C" NOT NULL,
                policy TEXT COLLATE "C" NOT NULL,
                dimension TEXT COLLATE "C" NOT NULL,
                key TEXT COLLATE "C" NOT NULL,
                hits BIGINT NOT NULL,
                bytes BIGINT NOT NULL,
                visitors BIGINT,
                visitor_codes BYTEA,
                response_times BYTEA,
                PRIMARY KEY (file_id, site, day, policy, dimension, key)
            );
            CREATE INDEX day_rows_site_day ON day_rows(site, day, policy, dimension);
            CREATE TABLE day_visitor_sets (
                file_id BIGINT NOT NULL REFERENCES files(id) ON DELETE CASCADE,
                site TEXT COLLATE "C" NOT NULL,
                day TEXT COLLATE "C" NOT NULL,
                policy TEXT COLLATE "C" NOT NULL,
                visitors BYTEA NOT NULL,
                PRIMARY KEY (file_id, site, day, policy)
            );
            CREATE INDEX day_visitor_sets_site_day ON day_visitor_sets(site, day, policy);
            CREATE TABLE day_unique (
                site TEXT COLLATE "C" NOT NULL,
                day TEXT COLLATE "C" NOT NULL,
                policy TEXT COLLATE "C" NOT NULL,
                visitors BIGINT NOT NULL,
                PRIMARY KEY (site, day, policy)
            );
            CREATE TABLE row_unique (
                site TEXT COLLATE "C" NOT NULL,
                day TEXT COLLATE "C" NOT NULL,
                policy TEXT COLLATE "C" NOT NULL,
                dimension TEXT COLLATE "C" NOT NULL,
                key TEXT COLLATE "C" NOT NULL,
                visitors BIGINT NOT NULL,
                PRIMARY KEY (site, day, policy, dimension, key)
            );
            CREATE TABLE response_times (
                site TEXT COLLATE "C" NOT NULL,
                day TEXT COLLATE "C" NOT NULL,
                policy TEXT COLLATE "C" NOT NULL,
                dimension TEXT COLLATE "C" NOT NULL,
                key TEXT COLLATE "C" NOT NULL,
                requests BIGINT NOT NULL,
                mean_ms DOUBLE PRECISION NOT NULL,
                p50_ms DOUBLE PRECISION NOT NULL,
                p95_ms DOUBLE PRECISION NOT NULL,
                p99_ms DOUBLE PRECISION NOT NULL,
                PRIMARY KEY (site, day, policy, dimension, key)
            );
            -- A file deleted by hand leaves its days' distinct counts stale: the views then show a lower bound.
            CREATE FUNCTION logward_day_unique_stale() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                DELETE FROM day_unique WHERE site = OLD.site AND day = OLD.day AND policy = OLD.policy;
                DELETE FROM row_unique WHERE site = OLD.site AND day = OLD.day AND policy = OLD.policy;
                RETURN OLD;
            END $$;
            CREATE TRIGGER day_unique_stale AFTER DELETE ON day_visitor_sets
                FOR EACH ROW EXECUTE FUNCTION logward_day_unique_stale();
            CREATE VIEW daily AS
                SELECT t.site, t.day, t.policy, MAX(t.audience) AS audience, MAX(t.k_anonymity) AS k_anonymity,
                       SUM(t.requests)::bigint AS requests, SUM(t.failed)::bigint AS failed, SUM(t.bytes)::bigint AS bytes,
                       SUM(t.page_views)::bigint AS page_views,
                       COALESCE((SELECT u.visitors FROM day_unique u WHERE u.site = t.site AND u.day = t.day AND u.policy = t.policy),
                                (SELECT MAX(length(s.visitors) / 8) FROM day_visitor_sets s
                                 WHERE s.site = t.site AND s.day = t.day AND s.policy = t.policy),
                                0)::bigint AS visitors,
                       SUM(t.visits)::bigint AS visits, SUM(t.visit_seconds)::bigint AS visit_seconds,
                       CASE WHEN SUM(t.visits) > 0 THEN SUM(t.visit_seconds)::double precision / SUM(t.visits) ELSE 0 END
                           AS average_visit_seconds
                FROM day_totals t GROUP BY t.site, t.day, t.policy;
            CREATE VIEW daily_breakdown AS
                SELECT r.site, r.day, r.policy, r.dimension, r.key, SUM(r.hits)::bigint AS hits, SUM(r.bytes)::bigint AS bytes,
                       (CASE WHEN COUNT(r.visitors) = 0 THEN NULL
                             ELSE COALESCE((SELECT u.visitors FROM row_unique u WHERE u.site = r.site AND u.day = r.day
                                            AND u.policy = r.policy AND u.dimension = r.dimension AND u.key = r.key),
                                           MAX(r.visitors)) END)::bigint AS visitors
                FROM day_rows r GROUP BY r.site, r.day, r.policy, r.dimension, r.key;

            """ + "\n" + StatsStore.seriesViewsSQL(epoch: "(EXTRACT(EPOCH FROM d.day::date))::bigint")),
    ]

    private func migrate() throws {
        try execute("CREATE TABLE IF NOT EXISTS logward_migrations (name TEXT PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())")
        try transaction {
            // Two runs starting at once: one migrates, the other waits and finds it done.
            try self.execute("SELECT pg_advisory_xact_lock(\(Self.lockKey))")
            let applied = Set(try self.table("SELECT name FROM logward_migrations").rows.compactMap { row -> String? in
                if case .text(let name) = row[0] { return name }
                return nil
            })
            for migration in Self.migrations where !applied.contains(migration.name) {
                // One statement per message: the extended protocol takes no more.
                for statement in Self.statements(migration.sql) { try self.execute(statement) }
                try self.execute("INSERT INTO logward_migrations (name) VALUES ($1)", [.text(migration.name)])
            }
        }
    }

    /// SQL split at the semicolons that end statements (not those inside a `$$` function body or a comment).
    static func statements(_ sql: String) -> [String] {
        var statements: [String] = []
        var current = ""
        var inBody = false
        for line in sql.split(separator: "\n", omittingEmptySubsequences: false) {
            let code = line.trimmingCharacters(in: .whitespaces)
            if code.hasPrefix("--") { continue }
            current += line + "\n"
            if line.components(separatedBy: "$$").count % 2 == 0 { inBody.toggle() }
            if !inBody, code.hasSuffix(";") {
                statements.append(current.trimmingCharacters(in: .whitespacesAndNewlines))
                current = ""
            }
        }
        let rest = current.trimmingCharacters(in: .whitespacesAndNewlines)
        if !rest.isEmpty { statements.append(rest) }
        return statements
    }

    /// The advisory lock that serializes logward's writers to one database.
    private static let lockKey = 0x6C6F_6777_6172_64

    // MARK: Publishing

    public func publish(from store: StatsStore) throws -> StatsStore.MergeOutcome {
        let restated = try store.restated()
        let files = try store.table("SELECT id, scope, path, size, sha256, lines, parsed, rejected FROM files ORDER BY id")
        var present = Set<StatsStore.ContentKey>()
        for row in try table("SELECT scope, sha256 FROM files").rows {
            if case .text(let sha256) = row[1] { present.insert(StatsStore.ContentKey(scope: Self.text(row[0]), sha256: sha256)) }
        }
        // A file stored before scopes (NULL) is the same input as any file of its content, as in SQLite.
        func matches(_ key: StatsStore.ContentKey, _ set: some Sequence<StatsStore.ContentKey>) -> Bool {
            set.contains { $0.sha256 == key.sha256 && ($0.scope == key.scope || $0.scope == nil || key.scope == nil) }
        }
        var outcome = StatsStore.MergeOutcome()
        for file in files.rows {
            guard case .integer(let sourceID) = file[0], case .text(let sha256) = file[4] else { continue }
            let key = StatsStore.ContentKey(scope: Self.text(file[1]), sha256: sha256)
            if matches(key, present), !matches(key, restated) {
                outcome.skipped += 1
                continue
            }
            try transaction {
                try self.execute("SELECT pg_advisory_xact_lock(\(Self.lockKey))")
                try self.copy(file: Array(file[1...]), sourceID: sourceID, key: key, from: store)
            }
            outcome.merged += 1
        }
        // Every restated file is copied: SQLite may forget them (a failure before here leaves them to the next run).
        try store.forgetRestated(restated)
        return outcome
    }

    /// One file with its numbers, replacing what the same content held, and its site-days recounted.
    private func copy(file: [StoreValue], sourceID: Int64, key: StatsStore.ContentKey, from store: StatsStore) throws {
        let sameContent = "sha256 = $1 AND (scope = $2 OR scope IS NULL OR $2 IS NULL)"
        let identity: [StoreValue] = [.text(key.sha256), key.scope.map(StoreValue.text) ?? .null]
        var touched = Set(try table("""
            SELECT DISTINCT site, day, policy FROM day_totals WHERE file_id IN (SELECT id FROM files WHERE \(sameContent))
            """, identity).rows)
        try execute("DELETE FROM files WHERE \(sameContent)", identity)
        let inserted = try table("""
            INSERT INTO files (scope, path, size, sha256, lines, parsed, rejected) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id
            """, file)
        guard let first = inserted.rows.first, case .integer(let fileID) = first[0] else {
            throw OutputError(path: location, reason: "the server returned no id for a new file row")
        }
        for name in StatsStore.fileTables {
            var rows = try store.table("SELECT * FROM \(name) WHERE file_id = ?", arguments: [.integer(sourceID)])
            guard let column = rows.columns.firstIndex(of: "file_id") else { continue }
            for index in rows.rows.indices { rows.rows[index][column] = .integer(fileID) }
            try insert(into: name, rows)
            if name == "day_totals", let site = rows.columns.firstIndex(of: "site"), let day = rows.columns.firstIndex(of: "day"),
               let policy = rows.columns.firstIndex(of: "policy") {
                touched.formUnion(rows.rows.map { [$0[site], $0[day], $0[policy]] })
            }
        }
        for day in touched.sorted(by: { "\($0)" < "\($1)" }) { try recount(day) }
    }

    /// The distinct visitors of a site-day and of its shared rows, and its response times, over all its files.
    private func recount(_ day: [StoreValue]) throws {
        let whereDay = "site = $1 AND day = $2 AND policy = $3"
        let sets = try table("SELECT visitors FROM day_visitor_sets WHERE \(whereDay)", day).rows.compactMap { Self.blob($0[0]) }
        try execute("DELETE FROM day_unique WHERE \(whereDay)", day)
        if let visitors = DerivedCounts.dayVisitors(sets) {
            try execute("INSERT INTO day_unique (site, day, policy, visitors) VALUES ($1, $2, $3, $4)", day + [.integer(Int64(visitors))])
        }
        try execute("DELETE FROM row_unique WHERE \(whereDay)", day)
        let shared = try table("""
            SELECT r.dimension, r.key, r.visitor_codes FROM day_rows r
            JOIN (SELECT dimension, key FROM day_rows WHERE \(whereDay) AND visitors IS NOT NULL
                  GROUP BY dimension, key HAVING COUNT(*) > 1) m ON m.dimension = r.dimension AND m.key = r.key
            WHERE r.site = $1 AND r.day = $2 AND r.policy = $3 AND r.visitors IS NOT NULL
            """, day).rows.map { DerivedCounts.FileRow(dimension: Self.text($0[0]) ?? "", key: Self.text($0[1]) ?? "", codes: Self.blob($0[2])) }
        try insert(into: "row_unique", StoreTable(columns: ["site", "day", "policy", "dimension", "key", "visitors"],
                                                  rows: DerivedCounts.rowVisitors(shared).map {
            day + [.text($0.dimension), .text($0.key), .integer(Int64($0.visitors))]
        }))
        try execute("DELETE FROM response_times WHERE \(whereDay)", day)
        let dayTimes = try table("SELECT response_times FROM day_totals WHERE \(whereDay) AND response_times IS NOT NULL", day)
            .rows.compactMap { Self.blob($0[0]) }
        let rowTimes = try table("""
            SELECT dimension, key, response_times FROM day_rows WHERE \(whereDay) AND response_times IS NOT NULL
            """, day).rows.compactMap { row -> (dimension: String, key: String, times: Data)? in
            guard let dimension = Self.text(row[0]), let key = Self.text(row[1]), let times = Self.blob(row[2]) else { return nil }
            return (dimension: dimension, key: key, times: times)
        }
        try insert(into: "response_times", StoreTable(
            columns: ["site", "day", "policy", "dimension", "key", "requests", "mean_ms", "p50_ms", "p95_ms", "p99_ms"],
            rows: DerivedCounts.responseTimes(day: dayTimes, rows: rowTimes).map {
                day + [.text($0.dimension), .text($0.key), .integer(Int64($0.summary.requests)), .real($0.summary.meanMs),
                       .real($0.summary.p50Ms), .real($0.summary.p95Ms), .real($0.summary.p99Ms)]
            }))
    }

    // MARK: SQL

    /// Rows in multi-row INSERTs, under the protocol's 65,535 parameters per statement.
    private func insert(into name: String, _ table: StoreTable) throws {
        guard !table.rows.isEmpty else { return }
        let perStatement = max(1, 30_000 / max(table.columns.count, 1))
        var start = 0
        while start < table.rows.count {
            let rows = table.rows[start..<min(start + perStatement, table.rows.count)]
            var values: [StoreValue] = []
            values.reserveCapacity(rows.count * table.columns.count)
            var tuples: [String] = []
            for row in rows {
                let first = values.count
                values += row
                tuples.append("(" + (1...row.count).map { "$\(first + $0)" }.joined(separator: ", ") + ")")
            }
            try execute("INSERT INTO \(name) (\(table.columns.joined(separator: ", "))) VALUES \(tuples.joined(separator: ", "))", values)
            start += perStatement
        }
    }

    private func transaction(_ body: () throws -> Void) throws {
        try execute("BEGIN")
        do {
            try body()
            try execute("COMMIT")
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }

    private func execute(_ sql: String, _ values: [StoreValue] = []) throws {
        _ = try run(sql, values)
    }

    /// Rows of a statement, as plain values (the tests compare them with SQLite's).
    package func table(_ sql: String, _ values: [StoreValue] = []) throws -> StoreTable {
        let result = try run(sql, values)
        var columns: [String] = []
        var rows: [[StoreValue]] = []
        for row in result.rows {
            var values: [StoreValue] = []
            for cell in row {
                if rows.isEmpty { columns.append(cell.columnName) }
                values.append(try Self.value(cell))
            }
            rows.append(values)
        }
        return StoreTable(columns: columns, rows: rows)
    }

    private func run(_ sql: String, _ values: [StoreValue]) throws -> PostgresQueryResult {
        var binds = PostgresBindings(capacity: values.count)
        do {
            for value in values {
                switch value {
                case .null: binds.appendNull()
                case .integer(let integer): binds.append(integer)
                case .real(let real): binds.append(real)
                case .text(let text): binds.append(text)
                case .blob(let data): try binds.append(data)
                }
            }
            return try connection.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger).wait()
        } catch {
            throw OutputError(path: location, reason: Self.reason(error))
        }
    }

    private static func value(_ cell: PostgresCell) throws -> StoreValue {
        guard cell.bytes != nil else { return .null }
        switch cell.dataType {
        case .int2, .int4, .int8: return .integer(try cell.decode(Int64.self))
        case .float4, .float8: return .real(try cell.decode(Double.self))
        case .bytea: return .blob(try cell.decode(Data.self))
        default: return .text(try cell.decode(String.self))
        }
    }

    private static func text(_ value: StoreValue) -> String? {
        if case .text(let text) = value { return text }
        return nil
    }

    private static func blob(_ value: StoreValue) -> Data? {
        if case .blob(let data) = value { return data }
        return nil
    }

    /// The server's own words (PSQLError hides them from `description` to keep queries out of logs).
    static func reason(_ error: any Error) -> String {
        if let error = error as? PSQLError {
            if let message = error.serverInfo?[.message] { return message }
            return "\(error.code)"
        }
        return "\(error)"
    }
}
