/// Rejected lines by reason, with the first few line numbers of each so a user can look them up.
/// Line numbers, never content: a rejected line may hold identifiers.
public struct RejectionTally: Sendable, Equatable {
    public static let exampleCount = 5

    public struct Entry: Sendable, Equatable, Codable {
        public var reason: RejectReason
        public var count: Int
        public var firstLines: [Int]
    }

    private var entries: [RejectReason: Entry] = [:]

    public init() {}

    public mutating func add(_ reason: RejectReason, line: Int) {
        var entry = entries[reason] ?? Entry(reason: reason, count: 0, firstLines: [])
        entry.count += 1
        if entry.firstLines.count < Self.exampleCount { entry.firstLines.append(line) }
        entries[reason] = entry
    }

    /// Adds `count` lines of one reason whose line numbers are not known (totals of several files).
    public mutating func add(_ reason: RejectReason, count: Int) {
        var entry = entries[reason] ?? Entry(reason: reason, count: 0, firstLines: [])
        entry.count += count
        entries[reason] = entry
    }

    /// Adds another tally's counts (its line numbers belong to another file, so they are not merged).
    public mutating func merge(_ other: RejectionTally) {
        for entry in other.entries.values {
            var mine = entries[entry.reason] ?? Entry(reason: entry.reason, count: 0, firstLines: [])
            mine.count += entry.count
            entries[entry.reason] = mine
        }
    }

    /// Appends a later part of the same input: counts add up, first line numbers continue in order.
    public mutating func append(_ later: RejectionTally) {
        for entry in later.entries.values {
            var mine = entries[entry.reason] ?? Entry(reason: entry.reason, count: 0, firstLines: [])
            mine.count += entry.count
            mine.firstLines = Array((mine.firstLines + entry.firstLines).prefix(Self.exampleCount))
            entries[entry.reason] = mine
        }
    }

    public var total: Int { entries.values.reduce(0) { $0 + $1.count } }

    public var sorted: [Entry] {
        entries.values.sorted { $0.count != $1.count ? $0.count > $1.count : $0.reason < $1.reason }
    }

    public func count(_ reason: RejectReason) -> Int { entries[reason]?.count ?? 0 }
}
