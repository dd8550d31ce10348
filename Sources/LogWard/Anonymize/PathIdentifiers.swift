import LogWardPolicy
/// Identifier-shaped pieces of a URL path that no rules file needs to name: session path parameters
/// (`;jsessionid=...`), and, where a policy asks for it, segments shaped like ids (digits, UUIDs, long hex).
public enum PathIdentifiers {
    public static let idMark: [UInt8] = Array(":id".utf8)

    /// `;jsessionid=ABC` -> the value replaced by `:secret` (any credential name, see `QueryParameters`).
    package static func appendSessionParameters(in path: Span<UInt8>, base: Int, to replacements: inout [(Range<Int>, [UInt8])]) {
        guard var from = ByteSearch.firstIndex(of: UInt8(ascii: ";"), in: path) else { return }
        while from < path.count {
            var end = from + 1
            while end < path.count, path[end] != UInt8(ascii: "/"), path[end] != UInt8(ascii: ";") { end += 1 }
            if let equals = path.firstIndex(of: UInt8(ascii: "="), in: (from + 1)..<end), equals + 1 < end,
               QueryParameters.isCredential(path.extracting((from + 1)..<equals)) {
                replacements.append(((base + equals + 1)..<(base + end), QueryParameters.secretMark))
            }
            guard let next = ByteSearch.firstIndex(of: UInt8(ascii: ";"), in: path, from: end) else { return }
            from = next
        }
    }

    /// Every segment after a `/` shaped like an identifier becomes `:id` (a file's extension stays:
    /// `/u/4242.json` -> `/u/:id.json`).
    package static func appendIDShapedSegments(in path: Span<UInt8>, base: Int, to replacements: inout [(Range<Int>, [UInt8])]) {
        var index = 0
        while let slash = ByteSearch.firstIndex(of: UInt8(ascii: "/"), in: path, from: index) {
            var end = slash + 1
            while end < path.count, !isSegmentEnd(path[end]) { end += 1 }
            var stemEnd = end
            if let dot = path.lastIndex(of: UInt8(ascii: "."), in: (slash + 1)..<end), end - dot <= 6, dot + 1 < end,
               IdentifierScanner.isLetter(path[dot + 1]) { stemEnd = dot }
            let range = (slash + 1)..<stemEnd
            if isIDShaped(path.extracting(range)),
               !FieldRewriter.isCovered((base + range.lowerBound)..<(base + range.upperBound), by: replacements) {
                replacements.append(((base + range.lowerBound)..<(base + range.upperBound), idMark))
            }
            index = end
        }
    }

    private static func isSegmentEnd(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "/") || byte == UInt8(ascii: "?") || byte == UInt8(ascii: "#") || byte == UInt8(ascii: ";")
            || byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "&")
    }

    /// Digits (`66442211`), a UUID, or 16 or more hex digits with a digit among them.
    package static func isIDShaped(_ segment: Span<UInt8>) -> Bool {
        guard !segment.isEmpty else { return false }
        if segment.allSatisfy(IdentifierScanner.isDigit) { return true }
        if segment.count == 36 {
            let dashes = [8, 13, 18, 23]
            var uuid = true
            for offset in segment.indices {
                let byte = segment[offset]
                if dashes.contains(offset) ? byte != UInt8(ascii: "-") : !IdentifierScanner.isHex(byte) { uuid = false; break }
            }
            if uuid { return true }
        }
        return segment.count >= 16 && segment.allSatisfy(IdentifierScanner.isHex) && segment.contains(where: IdentifierScanner.isDigit)
    }
}
