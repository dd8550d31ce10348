/// A policy's account-id path patterns, in rules order. A class: reached from an array per URL, a struct of
/// arrays was copied and retained each time. `PathPatternPrefilter` spares nearly every URL the call.
final class PathPatternSet: Sendable {
    let patterns: [PathPattern]

    init(_ patterns: [PathPattern]) { self.patterns = patterns }

    /// The identifier ranges of the first pattern (in rules order) that matches the start of `path`.
    func identifierRanges(in path: UnsafeRawBufferPointer) -> [(name: String, range: Range<Int>)]? {
        patterns.withUnsafeBufferPointer { patterns in
            for index in patterns.indices {
                if let found = patterns[index].identifierRanges(in: path) { return found }
            }
            return nil
        }
    }
}
