import Testing
import LogWard

/// The anonymizer's output buffer: every piece length (the short ones take the overlapping-store path), across
/// growth from a small capacity, gives exactly the bytes an array gets.
@Suite struct LineBufferTests {
    @Test func appendsEveryLengthExactly() {
        let source = (0..<64).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
        var buffer = LineBuffer(capacity: 16)
        var expected: [UInt8] = []
        for length in 0...40 {
            for offset in [0, 3] {
                buffer.appendBytes(source.span.extracting(offset..<(offset + length)))
                expected.append(contentsOf: source[offset..<(offset + length)])
                buffer.append(0xFF)
                expected.append(0xFF)
            }
        }
        let count = buffer.count
        let written = buffer.withBytes { Array($0) }
        let equal = buffer.bytesEqual(from: 0, expected.span)
        #expect(count == expected.count)
        let same = written == expected  // a Bool, so a failure does not print two thousand bytes
        #expect(same)
        #expect(equal)
    }
}
