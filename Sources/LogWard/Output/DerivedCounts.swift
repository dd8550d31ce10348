import Foundation
import LogWardAggregate

/// The counts a statistics store derives for a site-day from all its files' rows: distinct visitors of the day and
/// of each breakdown row several files share, and response times united over files. One computation for every
/// store (SQLite, PostgreSQL), so they cannot disagree.
package enum DerivedCounts {
    /// A breakdown row of one file: its visitor codes (nil when stored before rows kept codes).
    package struct FileRow: Sendable {
        package var dimension: String
        package var key: String
        package var codes: Data?

        package init(dimension: String, key: String, codes: Data?) {
            self.dimension = dimension
            self.key = key
            self.codes = codes
        }
    }

    /// Distinct visitors over the day's per-file visitor sets (nil: no file has the day).
    package static func dayVisitors(_ sets: [Data]) -> Int? {
        if sets.isEmpty { return nil }
        return sets.count == 1 ? sets[0].count / 8 : VisitorSetBlob.distinctCount(sets)
    }

    /// The rows (with a visitor count) that several files have, each with the size of its codes' union. A row one
    /// file alone has keeps that file's count; a row a file stored without codes has no exact union: left out, the
    /// views then show its largest file's count.
    package static func rowVisitors(_ rows: [FileRow]) -> [(dimension: String, key: String, visitors: Int)] {
        var shared: [[String]: [Data]] = [:]
        var seen: [[String]: Int] = [:]
        var incomplete: Set<[String]> = []
        for row in rows {
            let name = [row.dimension, row.key]
            seen[name, default: 0] += 1
            if let codes = row.codes { shared[name, default: []].append(codes) } else { incomplete.insert(name) }
        }
        return shared.filter { seen[$0.key]! > 1 && !incomplete.contains($0.key) }
            .map { (dimension: $0.key[0], key: $0.key[1], visitors: VisitorSetBlob.distinctCount($0.value)) }
            .sorted { ($0.dimension, $0.key) < ($1.dimension, $1.key) }
    }

    /// Response times united over files: the day's (dimension and key empty) and each row's, with mean and
    /// percentiles.
    package static func responseTimes(day: [Data], rows: [(dimension: String, key: String, times: Data)])
        -> [(dimension: String, key: String, summary: ResponseTimeSummary)] {
        var united: [[String]: ResponseTimes] = [:]
        for blob in day {
            if let times = ResponseTimes(encoded: blob) { united[["", ""], default: ResponseTimes()].merge(times) }
        }
        for row in rows {
            if let times = ResponseTimes(encoded: row.times) { united[[row.dimension, row.key], default: ResponseTimes()].merge(times) }
        }
        return united.compactMap { name, times in ResponseTimeSummary(times).map { (dimension: name[0], key: name[1], summary: $0) } }
            .sorted { ($0.dimension, $0.key) < ($1.dimension, $1.key) }
    }
}
