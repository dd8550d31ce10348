import LogWardPolicy
/// How many fields of each class an anonymizer changed (hashed, truncated, dropped or scrubbed).
public struct AnonymizationCounts: Sendable, Equatable {
    private var values = [Int](repeating: 0, count: FieldClass.count)

    public init() {}

    public subscript(_ fieldClass: FieldClass) -> Int {
        get { values[Self.index(fieldClass)] }
        set { values[Self.index(fieldClass)] = newValue }
    }

    public mutating func add(_ other: AnonymizationCounts) {
        for index in values.indices { values[index] += other.values[index] }
    }

    public var asDictionary: [String: Int] {
        Dictionary(uniqueKeysWithValues: FieldClass.allCases.map { ($0.rawValue, self[$0]) })
    }

    private static func index(_ fieldClass: FieldClass) -> Int { fieldClass.index }
}
