import LogWardInput
/// What a tally counts lines by (a rejection's reason, an audit finding's kind), how its entries are listed, and
/// the names they have in JSON reports.
public protocol TallyKey: Hashable, Comparable, Sendable, Codable {
    /// The key's name in an entry's JSON (`reason`, `finding`).
    static var keyName: String { get }
    /// The count's name in an entry's JSON (`count`, `lines`).
    static var countName: String { get }
    /// Listed by count, most first (rejections), or by key (findings).
    static var listsByCount: Bool { get }
}

/// Lines counted by what they had, each kind with the first few line numbers so a user can look them up. Line
/// numbers, never content: such a line may hold identifiers. `RejectionTally` and `FindingTally` are this one type.
public struct LineTally<Key: TallyKey>: Sendable, Equatable {
    public static var exampleCount: Int { 5 }

    public struct Entry: Sendable, Equatable {
        public var key: Key
        public var count: Int
        public var firstLines: [Int]

        public init(_ key: Key, count: Int, firstLines: [Int]) {
            self.key = key
            self.count = count
            self.firstLines = firstLines
        }
    }

    private var entries: [Key: Entry] = [:]

    public init() {}

    public mutating func add(_ key: Key, line: Int) {
        var entry = entries[key] ?? Entry(key, count: 0, firstLines: [])
        entry.count += 1
        if entry.firstLines.count < Self.exampleCount { entry.firstLines.append(line) }
        entries[key] = entry
    }

    /// Adds `count` lines of one key whose line numbers are not known (totals of several files).
    public mutating func add(_ key: Key, count: Int) {
        entries[key, default: Entry(key, count: 0, firstLines: [])].count += count
    }

    /// Adds another tally's counts (its line numbers belong to another file, so they are not merged).
    public mutating func merge(_ other: LineTally) {
        for entry in other.entries.values { add(entry.key, count: entry.count) }
    }

    /// Appends a later part of the same input: counts add up, first line numbers continue in order.
    public mutating func append(_ later: LineTally) {
        for entry in later.entries.values {
            var mine = entries[entry.key] ?? Entry(entry.key, count: 0, firstLines: [])
            mine.count += entry.count
            mine.firstLines = Array((mine.firstLines + entry.firstLines).prefix(Self.exampleCount))
            entries[entry.key] = mine
        }
    }

    public var total: Int { entries.values.reduce(0) { $0 + $1.count } }
    public var isEmpty: Bool { entries.isEmpty }
    public func count(_ key: Key) -> Int { entries[key]?.count ?? 0 }
    /// The first line counted under any key.
    public var firstLine: Int? { entries.values.compactMap(\.firstLines.first).min() }

    /// The entries as reports list them (see `TallyKey.listsByCount`).
    public var sorted: [Entry] {
        Key.listsByCount ? entries.values.sorted { $0.count != $1.count ? $0.count > $1.count : $0.key < $1.key }
            : entries.values.sorted { $0.key < $1.key }
    }
}

extension LineTally.Entry: Codable {
    private struct Name: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ name: String) { stringValue = name }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Name.self)
        try container.encode(key, forKey: Name(Key.keyName))
        try container.encode(count, forKey: Name(Key.countName))
        try container.encode(firstLines, forKey: Name("firstLines"))
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Name.self)
        self.init(try container.decode(Key.self, forKey: Name(Key.keyName)), count: try container.decode(Int.self, forKey: Name(Key.countName)),
                  firstLines: try container.decode([Int].self, forKey: Name("firstLines")))
    }
}

/// Encoded as its entries, as reports list them.
extension LineTally: Codable {
    public func encode(to encoder: any Encoder) throws { try sorted.encode(to: encoder) }

    public init(from decoder: any Decoder) throws {
        for entry in try [Entry](from: decoder) { entries[entry.key] = entry }
    }
}

/// Rejected lines by reason, most first.
public typealias RejectionTally = LineTally<RejectReason>

extension RejectReason: TallyKey {
    public static var keyName: String { "reason" }
    public static var countName: String { "count" }
    public static var listsByCount: Bool { true }
}

extension LineTally.Entry where Key == RejectReason {
    public var reason: RejectReason { key }

    public init(reason: RejectReason, count: Int, firstLines: [Int]) { self.init(reason, count: count, firstLines: firstLines) }
}
