/// What `--on-reject scrub` writes for a line that did not parse: the line with every token that could
/// identify someone replaced. Without a parse there is no field to trust, so the tokens before the
/// timestamp (client, identity, user; the vhost too) go, and so does every e-mail- or address-shaped token.
public enum LineScrubber {
    public static let addressMark: [UInt8] = Array("[ip]".utf8)
    public static let emailMark: [UInt8] = Array("[email]".utf8)
    public static let tokenMark: [UInt8] = Array("-".utf8)
    /// At most this many leading tokens are treated as client/identity/user when no `[` timestamp shows.
    static let leadingTokens = 4

    public static func scrub(_ line: UnsafeRawBufferPointer) -> [UInt8] {
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
        for match in IdentifierScanner.scan(UnsafeRawBufferPointer(rebasing: line[restStart...])) {
            let range = (match.range.lowerBound + restStart)..<(match.range.upperBound + restStart)
            switch match.kind {
            case .email: replacements.append((range, emailMark))
            case .address: replacements.append((range, addressMark))
            }
        }
        var out: [UInt8] = []
        FieldRewriter.emit(line, replacements, into: &out)
        return out
    }
}
