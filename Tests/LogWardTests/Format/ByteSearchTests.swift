import Testing
import LogWard

/// The 16-bytes-at-a-time searches against a byte-by-byte reading, on every length up to 50, every needle
/// position and start offset.
@Suite struct ByteSearchTests {
    @Test func firstIndexFindsTheFirstMatchAtOrAfterTheStart() {
        for length in 0...50 {
            for needleAt in [-1] + Array(0..<length) {
                var bytes = [UInt8](repeating: UInt8(ascii: "a"), count: length)
                if needleAt >= 0 { bytes[needleAt] = UInt8(ascii: " ") }
                if length > 3 { bytes[1] = UInt8(ascii: " ") }  // a match before some starts
                for start in 0...length {
                    let expected = bytes.indices.first { $0 >= start && bytes[$0] == UInt8(ascii: " ") }
                    let found = ByteSearch.firstIndex(of: UInt8(ascii: " "), in: bytes.span, from: start)
                    #expect(found == expected, "length \(length), needle \(needleAt), start \(start)")
                }
            }
        }
    }

    /// The newline count of an archive file read back, against a byte-by-byte count: none, every byte, the first
    /// and last bytes, and runs in between, on every length up to 40.
    @Test func countFindsEveryOccurrence() {
        for length in 0...40 {
            for pattern in 0..<5 {
                let bytes = (0..<length).map { index -> UInt8 in
                    let isNewline = switch pattern {
                    case 0: false
                    case 1: true
                    case 2: index == 0 || index == length - 1
                    case 3: index % 3 == 1
                    default: index % 7 < 2
                    }
                    return isNewline ? 0x0A : UInt8(ascii: "a")
                }
                let counted = ByteSearch.count(of: 0x0A, in: bytes.span)
                #expect(counted == bytes.filter { $0 == 0x0A }.count, "length \(length), pattern \(pattern)")
            }
        }
    }

    /// The identifier prefilter against a byte-by-byte reading: `@` or `%` anywhere, or (with addresses) three dots
    /// or two colons, on every length and position (the 16-byte loop, the tail, and both).
    @Test func theIdentifierPrefilterAgreesWithAByteByByteReading() {
        func naive(_ bytes: [UInt8], _ addresses: Bool) -> Bool {
            bytes.contains(UInt8(ascii: "@")) || bytes.contains(UInt8(ascii: "%"))
                || (addresses && (bytes.filter { $0 == UInt8(ascii: ".") }.count >= 3 || bytes.filter { $0 == UInt8(ascii: ":") }.count >= 2))
        }
        for length in 0...50 {
            for first in [-1] + Array(0..<length) {
                for (a, b) in [(UInt8(ascii: "@"), UInt8(ascii: "x")), (UInt8(ascii: "%"), UInt8(ascii: "x")),
                               (UInt8(ascii: "."), UInt8(ascii: ".")), (UInt8(ascii: ":"), UInt8(ascii: ":")), (UInt8(ascii: "."), UInt8(ascii: ":"))] {
                    var bytes = [UInt8](repeating: UInt8(ascii: "x"), count: length)
                    if first >= 0 { bytes[first] = a }
                    if length > 0 { bytes[length - 1] = b }  // and one in the tail
                    if length > 20 { bytes[17] = b }          // and one in a second 16-byte block
                    for addresses in [false, true] {
                        let found = IdentifierScanner.mayContainIdentifier(bytes.span, addresses: addresses)
                        #expect(found == naive(bytes, addresses), "length \(length), \(first), \(a), \(b), \(addresses)")
                    }
                }
            }
        }
    }
}
