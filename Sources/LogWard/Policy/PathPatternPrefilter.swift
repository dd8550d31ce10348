import LogWardFormat
/// Every policy's account path patterns reduced to their first segments, in flat arrays: a path whose first
/// segment no pattern of its policy starts with cannot match, and that test (nearly every line) retains nothing,
/// where reaching a policy's pattern set from an array retained it on every URL.
package struct PathPatternPrefilter: Sendable {
    /// The first literal segments, back to back.
    private let literals: [UInt8]
    /// Per pattern, where its first literal lies in `literals`; count -1 for a pattern that starts with `{id}` or
    /// `*` (any first segment may match it).
    private let firsts: [(start: Int, count: Int)]
    /// Per policy, its patterns' range in `firsts`.
    private let byPolicy: [Range<Int>]

    package init(_ patternSets: [[PathPattern]]) {
        var literals: [UInt8] = []
        var firsts: [(Int, Int)] = []
        var byPolicy: [Range<Int>] = []
        for patterns in patternSets {
            let start = firsts.count
            for pattern in patterns {
                if case .literal(let bytes) = pattern.segments[0] {
                    firsts.append((literals.count, bytes.count))
                    literals.append(contentsOf: bytes)
                } else {
                    firsts.append((0, -1))
                }
            }
            byPolicy.append(start..<firsts.count)
        }
        self.literals = literals
        self.firsts = firsts
        self.byPolicy = byPolicy
    }

    /// Whether some pattern of the policy may match `path` (a path alone, no query).
    package func mayMatch(_ path: Span<UInt8>, policyIndex: Int) -> Bool {
        let candidates = byPolicy[policyIndex]
        guard !candidates.isEmpty, path.count > 1, path[0] == UInt8(ascii: "/") else { return false }
        let segmentEnd = ByteSearch.firstIndex(of: UInt8(ascii: "/"), in: path, from: 1) ?? path.count
        let firstCount = segmentEnd - 1
        let segment = path.extracting(1..<segmentEnd)
        let literals = literals.span
        for index in candidates {
            let first = firsts[index]
            if first.count < 0 { return true }
            if first.count == firstCount, literals.extracting(first.start..<first.start + firstCount).elementsEqual(segment) {
                return true
            }
        }
        return false
    }
}
