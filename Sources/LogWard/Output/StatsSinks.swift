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

    /// Writes the CSV, JSON and Prometheus sinks from the store.
    public func export(from store: StatsStore) throws {
        guard csvDirectory != nil || json != nil || prometheus != nil else { return }
        let export = try StatsExport(store: store)
        if let csvDirectory { try export.writeCSV(directory: csvDirectory) }
        if let json { try export.writeJSON(path: json) }
        if let prometheus { try export.writePrometheus(path: prometheus) }
    }
}
