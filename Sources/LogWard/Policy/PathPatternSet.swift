import LogWardFormat
/// A policy's account-id path patterns, in rules order. A class: reached from an array per URL, a struct of
/// arrays was copied and retained each time. `PathPatternPrefilter` spares nearly every URL the call.
package final class PathPatternSet: Sendable {
    let patterns: [PathPattern]

    init(_ patterns: [PathPattern]) { self.patterns = patterns }

    /// The identifier ranges and placeholders of the first pattern (in rules order) that matches the start of
    /// `path`, appended to `found`; false when none matches.
    package func appendIdentifiers(in path: Span<UInt8>, to found: inout [(Range<Int>, [UInt8])]) -> Bool {
        for pattern in patterns where pattern.appendIdentifiers(in: path, to: &found) { return true }
        return false
    }
}
