#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A policy's account-id path patterns, in rules order, with each pattern's first literal segment laid out in
/// one flat buffer: nearly every path fails on its first segment, and that test reads no pattern's own arrays
/// (reading them retained every pattern on every line). A class: a struct of three arrays was copied, and its
/// arrays retained and released, on every URL.
final class PathPatternSet: Sendable {
    let patterns: [PathPattern]
    /// Every pattern's first literal segment, back to back; empty for a pattern that starts with `{id}` or `*`.
    private let firstLiterals: [UInt8]
    /// Per pattern, where its first literal lies in `firstLiterals`; count -1 when it has none.
    private let firstRanges: [(start: Int, count: Int)]

    init(_ patterns: [PathPattern]) {
        self.patterns = patterns
        var literals: [UInt8] = []
        var ranges: [(Int, Int)] = []
        for pattern in patterns {
            if case .literal(let bytes) = pattern.segments[0] {
                ranges.append((literals.count, bytes.count))
                literals.append(contentsOf: bytes)
            } else {
                ranges.append((0, -1))
            }
        }
        firstLiterals = literals
        firstRanges = ranges
    }

    var isEmpty: Bool { patterns.isEmpty }

    /// The identifier ranges of the first pattern (in rules order) that matches the start of `path`.
    func identifierRanges(in path: UnsafeRawBufferPointer) -> [(name: String, range: Range<Int>)]? {
        guard !patterns.isEmpty, path.count > 1, path[0] == UInt8(ascii: "/") else { return nil }
        var segmentEnd = 1
        while segmentEnd < path.count, path[segmentEnd] != UInt8(ascii: "/") { segmentEnd += 1 }
        let first = UnsafeRawBufferPointer(rebasing: path[1..<segmentEnd])
        return firstLiterals.withUnsafeBytes { literals in
            firstRanges.withUnsafeBufferPointer { ranges in
                for index in 0..<ranges.count {
                    let range = ranges[index]
                    if range.count >= 0 {
                        guard range.count == first.count,
                              memcmp(literals.baseAddress! + range.start, first.baseAddress!, range.count) == 0 else { continue }
                    }
                    if let found = patterns[index].identifierRanges(in: path) { return found }
                }
                return nil
            }
        }
    }
}
