import LogWardPolicy
/// What `--on-reject scrub` writes for a line that did not parse: the line with every token that could
/// identify someone replaced. Without a parse there is no field to trust, so the tokens before the
/// timestamp (client, identity, user; the vhost too) go, and so does every e-mail- or address-shaped token.
public enum LineScrubber {
    public static let addressMark: [UInt8] = Array("[ip]".utf8)
    public static let emailMark: [UInt8] = Array("[email]".utf8)
    public static let tokenMark: [UInt8] = Array("-".utf8)
    /// At most this many leading tokens are treated as client/identity/user when no `[` timestamp shows.
    static let leadingTokens = 4

    package static func scrub(_ line: Span<UInt8>) -> [UInt8] {
        var replacements: [(Range<Int>, [UInt8])] = []
        var position = 0
        var tokens = 0
        while position < line.count, tokens < leadingTokens {
            if line[position] == UInt8(ascii: "[") { break }
            var end = position
            while end < line.count, line[end] != UInt8(ascii: " ") { end += 1 }
            if end > position { replacements.append((position..<end, tokenMark)) }
            tokens += 1
            position = end + 1
        }
        let restStart = min(position, line.count)
        let rest = line.extracting(restStart...)
        for match in IdentifierScanner.scan(rest) {
            let range = (match.range.lowerBound + restStart)..<(match.range.upperBound + restStart)
            switch match.kind {
            case .email: replacements.append((range, emailMark))
            case .address: replacements.append((range, addressMark))
            }
        }
        // Without a parse no rules file's account paths can be matched: every id-shaped segment, every session
        // parameter and every query value goes.
        var pathReplacements: [(Range<Int>, [UInt8])] = []
        PathIdentifiers.appendSessionParameters(in: rest, base: restStart, to: &pathReplacements)
        PathIdentifiers.appendIDShapedSegments(in: rest, base: restStart, to: &pathReplacements)
        appendQueryValues(in: rest, base: restStart, to: &pathReplacements)
        for replacement in pathReplacements where !FieldRewriter.isCovered(replacement.0, by: replacements) {
            replacements.append(replacement)
        }
        var out: [UInt8] = []
        FieldRewriter.emit(line, replacements, into: &out)
        return out
    }

    /// `?a=1&b=2` -> `?a=-&b=-`: the values of every query after a `?`, up to a space or quote.
    private static func appendQueryValues(in text: Span<UInt8>, base: Int, to replacements: inout [(Range<Int>, [UInt8])]) {
        var index = 0
        while let mark = ByteSearch.firstIndex(of: UInt8(ascii: "?"), in: text, from: index) {
            var position = mark + 1
            while position < text.count, text[position] != UInt8(ascii: " "), text[position] != UInt8(ascii: "\"") {
                guard text[position] == UInt8(ascii: "=") else {
                    position += 1
                    continue
                }
                var end = position + 1
                while end < text.count, text[end] != UInt8(ascii: "&"), text[end] != UInt8(ascii: " "), text[end] != UInt8(ascii: "\""),
                      text[end] != UInt8(ascii: ";"), text[end] != UInt8(ascii: "#") { end += 1 }
                if end > position + 1 { replacements.append(((base + position + 1)..<(base + end), tokenMark)) }
                position = end
            }
            index = position
        }
    }
}
