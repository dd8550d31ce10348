import Testing
import LogWard
@testable import LogWardAggregate

/// A row's visitors as bits over the day's sorted codes, or as codes for a row with few: the same sorted codes and
/// count either way.
@Suite struct VisitorSubsetTests {
    /// 200 codes, sorted, not equal to their places.
    static let universe = VisitorSubset.Universe(codes: (0..<200).map { UInt64($0) * 7 + 3 })

    static func bits(_ places: [Int]) -> [UInt64] {
        var words = [UInt64](repeating: 0, count: 4)
        for place in places { words[place >> 6] |= 1 << UInt64(place & 63) }
        return words
    }

    @Test func aDenseRowGivesItsMembersCodesInOrder() {
        let places = Array(stride(from: 0, to: 200, by: 3))
        let subset = VisitorSubset(universe: Self.universe, bits: Self.bits(places))
        #expect(subset.count == 67)
        #expect(subset.codes == places.map { UInt64($0) * 7 + 3 })
    }

    @Test func aSparseRowGivesTheSameCodesAsOneMadeOfCodes() {
        let subset = VisitorSubset(universe: Self.universe, bits: Self.bits([0, 63, 64, 199]))
        #expect(subset.count == 4)
        #expect(subset.codes == [3, 444, 451, 1396])
        #expect(subset == VisitorSubset(codes: [3, 444, 451, 1396]))
        #expect(subset != VisitorSubset(codes: [3, 444, 451]))
    }

    @Test func aRowKeepsItsCodesThroughTheRowsSetter() {
        var row = DayStats.Row(hits: 2, bytes: 10, visitors: 2,
                               visitorSet: VisitorSubset(universe: Self.universe, bits: Self.bits([1, 2])))
        #expect(row.visitorCodes == [10, 17])
        row.visitorCodes = [5, 9, 11]
        #expect(row.visitorSet?.count == 3)
        #expect(row.visitorCodes == [5, 9, 11])
    }
}

/// The list closed visits are kept in: indices and values across its blocks' edges.
@Suite struct ChunkedListTests {
    @Test func entriesKeepTheirIndicesAcrossBlocks() {
        var list = ChunkedList<Int32>()
        for value in 0..<40_000 { #expect(list.append(Int32(value) * 3) == value) }
        #expect(list.count == 40_000)
        #expect([0, 16_383, 16_384, 32_768, 39_999].map { list[$0] } == [0, 49_149, 49_152, 98_304, 119_997])
    }
}
