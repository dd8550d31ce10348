import Foundation
import LogWardAggregate

/// Where statistics go. SQLite is the store every other sink is written from, so all report the same numbers;
/// without `sqlite`, a temporary database holds this run's numbers and is removed afterwards.
public struct StatsSinks: Sendable {
    public var sqlite: String?
    public var csvDirectory: String?
    public var json: String?
    public var prometheus: String?
    /// The self-contained HTML report (`--html`, `report:` in a run config).
    public var html: String?
    /// PostgreSQL connection URL (`--postgres`, `postgres:`): the store's tables copied there, file by file.
    public var postgres: String?
    /// When set, exports hold these sites' rows only (`stats --site S` over a database that holds others).
    public var exportSites: Set<String>?
    /// Breakdown keys per site and dimension in the Prometheus textfile; the rest are summed into `(other)`.
    public var prometheusTop = PrometheusTextfile.defaultTop
    /// Rows per table in the HTML report.
    public var htmlTop = HTMLReport.defaultTop

    public init(sqlite: String? = nil, csvDirectory: String? = nil, json: String? = nil, prometheus: String? = nil) {
        self.sqlite = sqlite
        self.csvDirectory = csvDirectory
        self.json = json
        self.prometheus = prometheus
    }

    public var isEmpty: Bool {
        sqlite == nil && csvDirectory == nil && json == nil && prometheus == nil && html == nil && postgres == nil
    }

    /// Opens the store: the named SQLite file, or a temporary one.
    public func openStore() throws -> (store: StatsStore, temporary: String?) {
        if let sqlite { return (try StatsStore(path: sqlite), nil) }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("logward-\(UUID().uuidString).sqlite").path
        return (try StatsStore(path: path), path)
    }

    /// Writes the CSV, JSON, Prometheus and HTML sinks from the store, as a set: every file is staged and fsynced
    /// before any is renamed into place, so a failure (a full disk) leaves the previous set whole.
    /// Returns how many external site-days the exports withheld (fewer than k distinct visitors).
    /// `run` (when, how it ended, what it rejected) goes into the Prometheus textfile for alerts; `today` (the
    /// statistics' day of the run, `YYYY-MM-DD`) says which days are complete.
    @discardableResult
    public func export(from store: StatsStore, run: RunSummary? = nil, today: String? = nil) throws -> Int {
        guard csvDirectory != nil || json != nil || prometheus != nil || html != nil else {
            try publish(from: store)
            return 0
        }
        var all = try StatsExport(store: store)
        if let exportSites {
            all = StatsExport(daily: all.daily.filter { exportSites.contains($0.site) },
                              breakdown: all.breakdown.filter { exportSites.contains($0.site) }, withheldSiteDays: all.withheldSiteDays)
        }
        // Audiences kept apart: the named files hold the sites whose policy lets third parties see aggregates;
        // internal sites' rows go to `.internal` files beside them, written only when there are such rows.
        let external = all.only(.external)
        let internalRows = all.only(.internal)
        var parts: [(export: StatsExport, rename: (String) -> String)] = [(external, { $0 })]
        if !internalRows.daily.isEmpty { parts.append((internalRows, StatsExport.internalPath)) }
        var files: [(path: String, text: String)] = []
        if let csvDirectory {
            do {
                try FileManager.default.createDirectory(atPath: csvDirectory, withIntermediateDirectories: true)
            } catch {
                throw OutputError(path: csvDirectory, reason: "cannot create the folder (\(OutputError.reason(error)))")
            }
            for part in parts {
                for (name, text) in zip(StatsExport.csvFileNames, part.export.csvTexts()) {
                    files.append((part.rename(csvDirectory + "/" + name), text))
                }
            }
        }
        for part in parts {
            if let json { files.append((part.rename(json), try part.export.jsonText())) }
            if let prometheus {
                let textfile = PrometheusTextfile(export: part.export, top: prometheusTop, run: run, today: today)
                files.append((part.rename(prometheus), textfile.text))
            }
            if let html { files.append((part.rename(html), HTMLReport(export: part.export, top: htmlTop).text)) }
        }
        // Exports are read by the dashboards' own user through a group the operator grants (chgrp, 0640), never
        // by everyone: 0600 until then.
        try AtomicFile.writeSet(files, mode: 0o600)
        // Last: an unreachable PostgreSQL (exit 3, caught up by the next run) does not keep the files from the dashboards.
        try publish(from: store)
        return external.withheldSiteDays
    }

    /// Copies the store's files to the PostgreSQL store, when one is named: those it lacks and those restated since
    /// (a run that failed before this point is caught up by the next).
    @discardableResult
    public func publish(from store: StatsStore) throws -> StatsStore.MergeOutcome? {
        guard let postgres else { return nil }
        guard let openMirror = StatsMirrorRegistry.opener else {
            throw OutputError(path: Self.redacted(postgres), reason: "this logward was built without PostgreSQL support")
        }
        let mirror = try openMirror(postgres)
        defer { mirror.close() }
        return try mirror.publish(from: store)
    }

    /// A database URL without its password, for messages and reports.
    public static func redacted(_ url: String) -> String {
        guard var components = URLComponents(string: url), components.password != nil else { return url }
        components.password = "***"
        return components.string ?? "the PostgreSQL URL"
    }
}
