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
    }

    public var description: String { source }

    /// True when some segment marks an identifier.
    public var hasIdentifier: Bool {
        segments.contains { if case .identifier = $0 { return true } else { return false } }
    }

    /// The byte ranges (within `path`) of the identifier segments, when the pattern matches the path's start.
    /// `path` is the path part only (no query).
    public func identifierRanges(in path: UnsafeRawBufferPointer) -> [(name: String, range: Range<Int>)]? {
        // Most paths fail on the first segment: check it before building anything.
        if case .literal(let first) = segments[0] {
            guard path.count > first.count, path[0] == UInt8(ascii: "/") else { return nil }
            for offset in 0..<first.count where path[1 + offset] != first[offset] { return nil }
            guard path.count == first.count + 1 || path[first.count + 1] == UInt8(ascii: "/") else { return nil }
        }
        var ranges: [(String, Range<Int>)] = []
        var position = 0
        let slash = UInt8(ascii: "/")
        for segment in segments {
            guard position < path.count, path[position] == slash else { return nil }
            let start = position + 1
            var end = start
            while end < path.count, path[end] != slash { end += 1 }
            guard end > start else { return nil }
            switch segment {
            case .literal(let bytes):
                guard end - start == bytes.count else { return nil }
                for offset in 0..<bytes.count where path[start + offset] != bytes[offset] { return nil }
            case .identifier(let name):
                ranges.append((name, start..<end))
            case .any:
                break
            }
            position = end
        }
        return ranges
    }
}
