import Testing
@testable import LogWard

/// The 16-bytes-at-a-time searches against a byte-by-byte reading, on every length up to 50, every needle
/// position and start offset (the last, overlapping load must not find bytes before the start).
@Suite struct ByteSearchTests {
    @Test func firstIndexFindsTheFirstMatchAtOrAfterTheStart() {
        for length in 0...50 {
            for needleAt in [-1] + Array(0..<length) {
                var bytes = [UInt8](repeating: UInt8(ascii: "a"), count: length)
                if needleAt >= 0 { bytes[needleAt] = UInt8(ascii: " ") }
                if length > 3 { bytes[1] = UInt8(ascii: " ") }  // a match before some starts
                for start in 0...length {
                    let expected = bytes.indices.first { $0 >= start && bytes[$0] == UInt8(ascii: " ") }
                    let found = bytes.withUnsafeBytes { ByteSearch.firstIndex(of: UInt8(ascii: " "), in: $0, from: start) }
                    #expect(found == expected, "length \(length), needle \(needleAt), start \(start)")
                }
            }
        }
    }

    @Test func eitherByteAndCountsMatchAByteByByteReading() {
        for length in 0...50 {
            for position in [-1] + Array(0..<length) {
                for needle in [UInt8(ascii: "@"), UInt8(ascii: "%")] {
                    var bytes = [UInt8](repeating: UInt8(ascii: "x"), count: length)
                    if position >= 0 { bytes[position] = needle }
                    let found = bytes.withUnsafeBytes { ByteSearch.containsEither(UInt8(ascii: "@"), UInt8(ascii: "%"), in: $0) }
                    #expect(found == (position >= 0))
                }
            }
            // Dots at every third byte: counted up to the limit asked for.
            let dotted = (0..<length).map { $0 % 3 == 2 ? UInt8(ascii: ".") : UInt8(ascii: "1") }
            for wanted in 0...4 {
                let occurs = dotted.withUnsafeBytes { ByteSearch.occurs(UInt8(ascii: "."), atLeast: wanted, in: $0) }
                #expect(occurs == (length / 3 >= wanted), "length \(length), wanted \(wanted)")
            }
        }
    }
}
