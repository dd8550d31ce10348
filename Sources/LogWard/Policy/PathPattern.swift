import LogWardFormat
/// A path pattern from a rules file: `/users/{id}/...` marks the segment that holds an account id;
/// `*` matches any one segment. Patterns match a prefix of the path, segment by segment.
public struct PathPattern: Sendable, Equatable, CustomStringConvertible {
    public enum Segment: Sendable, Equatable {
        case literal([UInt8])
        case identifier(String)
        case any
    }

    public let source: String
    public let segments: [Segment]
    /// Per segment, its placeholder when it is an identifier (else empty): built once, not per URL.
    private let placeholders: [[UInt8]]

    public init?(_ source: String) {
        guard source.hasPrefix("/") else { return nil }
        self.source = source
        segments = source.split(separator: "/", omittingEmptySubsequences: true).map { piece in
            if piece == "*" { return .any }
            if piece.hasPrefix("{") && piece.hasSuffix("}") && piece.count > 2 {
                return .identifier(String(piece.dropFirst().dropLast()))
            }
            return .literal(Array(piece.utf8))
        }
        guard !segments.isEmpty else { return nil }
        placeholders = segments.map { if case .identifier(let name) = $0 { Self.placeholder(name) } else { [] } }
    }

    public var description: String { source }

    /// True when some segment marks an identifier.
    public var hasIdentifier: Bool {
        segments.contains { if case .identifier = $0 { return true } else { return false } }
    }

    /// An identifier segment's placeholder in anonymized paths and statistics: `:id` for `{id}`.
    public static func placeholder(_ name: String) -> [UInt8] { Array(":\(name)".utf8) }

    /// Whether the pattern matches the start of `path` (the path part only, no query). Builds nothing: counters
    /// test every line's path.
    package func matches(_ path: Span<UInt8>) -> Bool {
        // Most paths fail on the first segment: check it before walking.
        if case .literal(let first) = segments[0] {
            guard path.count > first.count, path[0] == UInt8(ascii: "/") else { return false }
            for offset in 0..<first.count where path[1 + offset] != first[offset] { return false }
            guard path.count == first.count + 1 || path[first.count + 1] == UInt8(ascii: "/") else { return false }
        }
        var position = 0
        for segment in segments {
            guard let end = Self.segmentEnd(path, at: position) else { return false }
            if case .literal(let bytes) = segment {
                let start = position + 1
                guard end - start == bytes.count else { return false }
                for offset in 0..<bytes.count where path[start + offset] != bytes[offset] { return false }
            }
            position = end
        }
        return true
    }

    /// When the pattern matches the start of `path`, appends each identifier segment's range and placeholder
    /// (`:id`) to `found` and returns true; otherwise appends nothing. A caller's reused array: no allocation.
    package func appendIdentifiers(in path: Span<UInt8>, to found: inout [(Range<Int>, [UInt8])]) -> Bool {
        guard matches(path) else { return false }
        var position = 0
        for (index, segment) in segments.enumerated() {
            let end = Self.segmentEnd(path, at: position)!
            if case .identifier = segment { found.append(((position + 1)..<end, placeholders[index])) }
            position = end
        }
        return true
    }

    /// The byte ranges (within `path`) of the identifier segments, with their names, when the pattern matches
    /// the path's start. `path` is the path part only (no query).
    package func identifierRanges(in path: Span<UInt8>) -> [(name: String, range: Range<Int>)]? {
        guard matches(path) else { return nil }
        var ranges: [(String, Range<Int>)] = []
        var position = 0
        for segment in segments {
            let end = Self.segmentEnd(path, at: position)!
            if case .identifier(let name) = segment { ranges.append((name, (position + 1)..<end)) }
            position = end
        }
        return ranges
    }

    /// Where the segment that starts with the `/` at `position` ends; nil when there is no such non-empty segment.
    private static func segmentEnd(_ path: Span<UInt8>, at position: Int) -> Int? {
        guard position < path.count, path[position] == UInt8(ascii: "/") else { return nil }
        var end = position + 1
        while end < path.count, path[end] != UInt8(ascii: "/") { end += 1 }
        return end > position + 1 ? end : nil
    }
}
