import Foundation

/// Where statistics go. SQLite is the store every other sink is written from, so all report the same numbers;
/// without `sqlite`, a temporary database holds this run's numbers and is removed afterwards.
public struct StatsSinks: Sendable {
    public var sqlite: String?
    public var csvDirectory: String?
    public var json: String?
    public var prometheus: String?
    /// When set, exports hold these sites' rows only (`stats --site S` over a database that holds others).
    public var exportSites: Set<String>?
    /// Breakdown keys per site and dimension in the Prometheus textfile; the rest are summed into `(other)`.
    public var prometheusTop = PrometheusTextfile.defaultTop

    public init(sqlite: String? = nil, csvDirectory: String? = nil, json: String? = nil, prometheus: String? = nil) {
        self.sqlite = sqlite
        self.csvDirectory = csvDirectory
        self.json = json
        self.prometheus = prometheus
    }

    public var isEmpty: Bool { sqlite == nil && csvDirectory == nil && json == nil && prometheus == nil }

    /// Opens the store: the named SQLite file, or a temporary one.
    public func openStore() throws -> (store: StatsStore, temporary: String?) {
        if let sqlite { return (try StatsStore(path: sqlite), nil) }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("logward-\(UUID().uuidString).sqlite").path
        return (try StatsStore(path: path), path)
    }

    /// Writes the CSV, JSON and Prometheus sinks from the store, as a set: every file is staged and fsynced
    /// before any is renamed into place, so a failure (a full disk) leaves the previous set whole.
    /// Returns how many external site-days the exports withheld (fewer than k distinct visitors).
    /// `run` (when, how it ended, what it rejected) goes into the Prometheus textfile for alerts; `today` (the
    /// statistics' day of the run, `YYYY-MM-DD`) says which days are complete.
    @discardableResult
    public func export(from store: StatsStore, run: RunSummary? = nil, today: String? = nil) throws -> Int {
        guard csvDirectory != nil || json != nil || prometheus != nil else { return 0 }
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
        }
        // Exports are read by the dashboards' own user through a group the operator grants (chgrp, 0640), never
        // by everyone: 0600 until then.
        try AtomicFile.writeSet(files, mode: 0o600)
        return external.withheldSiteDays
    }
}
