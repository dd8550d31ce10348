import LogWardAnonymize
/// A breakdown row's distinct visitors on one day: a subset of the day's visitors. A row most visitors are in is
/// one bit per visitor of the day, over the day's sorted codes, which every such row shares; a row with few is its
/// own sorted codes. A busy day's rows, each held as 8-byte codes, were 10 MiB at the day's end (54,000 visitors in
/// about 20 rows each); as bits they are 7 KB a row. The codes are made when asked for, one row at a time.
public struct VisitorSubset: Sendable, Equatable {
    /// The day's visitor codes, sorted: what a row's bits index.
    package final class Universe: Sendable {
        let codes: [UInt64]
        package init(codes: [UInt64]) { self.codes = codes }
    }

    private enum Storage: Sendable {
        case members(Universe, bits: [UInt64])
        case codes([UInt64])
    }

    private let storage: Storage
    public let count: Int

    /// Codes already sorted.
    public init(codes: [UInt64]) {
        storage = .codes(codes)
        count = codes.count
    }

    /// The members of `universe` whose bit (by index in `universe.codes`) is set; held as bits when at least one
    /// visitor in 64 is a member (then the bits take no more room than the codes would), else as codes.
    init(universe: Universe, bits: [UInt64]) {
        let count = bits.reduce(0) { $0 + $1.nonzeroBitCount }
        self.count = count
        if count * 64 >= universe.codes.count {
            storage = .members(universe, bits: bits)
        } else {
            storage = .codes(Self.members(of: universe, bits: bits, count: count))
        }
    }

    /// The codes, sorted.
    public var codes: [UInt64] {
        switch storage {
        case .codes(let codes): codes
        case .members(let universe, let bits): Self.members(of: universe, bits: bits, count: count)
        }
    }

    private static func members(of universe: Universe, bits: [UInt64], count: Int) -> [UInt64] {
        var codes: [UInt64] = []
        codes.reserveCapacity(count)
        for (wordIndex, word) in bits.enumerated() {
            var remaining = word
            while remaining != 0 {
                codes.append(universe.codes[wordIndex &* 64 &+ remaining.trailingZeroBitCount])
                remaining &= remaining &- 1
            }
        }
        return codes
    }

    public static func == (lhs: VisitorSubset, rhs: VisitorSubset) -> Bool {
        lhs.count == rhs.count && lhs.codes == rhs.codes
    }
}
