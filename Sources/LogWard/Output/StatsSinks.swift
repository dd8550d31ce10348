import Foundation

/// Where statistics go. SQLite is the store every other sink is written from, so all report the same numbers;
/// without `sqlite`, a temporary database holds this run's numbers and is removed afterwards.
public struct StatsSinks: Sendable {
    public var sqlite: String?
    public var csvDirectory: String?
    public var json: String?
    public var prometheus: String?

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
    public func export(from store: StatsStore) throws {
        guard csvDirectory != nil || json != nil || prometheus != nil else { return }
        let export = try StatsExport(store: store)
        var files: [(path: String, text: String)] = []
        if let csvDirectory {
            do {
                try FileManager.default.createDirectory(atPath: csvDirectory, withIntermediateDirectories: true)
            } catch {
                throw OutputError(path: csvDirectory, reason: "cannot create the folder (\(OutputError.reason(error)))")
            }
            for (name, text) in zip(StatsExport.csvFileNames, export.csvTexts()) { files.append((csvDirectory + "/" + name, text)) }
        }
        if let json { files.append((json, try export.jsonText())) }
        if let prometheus { files.append((prometheus, export.prometheusText())) }
        // Exports are read by the dashboards' own user through a group the operator grants (chgrp, 0640), never
        // by everyone: 0600 until then.
        try AtomicFile.writeSet(files, mode: 0o600)
    }
}
