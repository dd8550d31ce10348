import LogWardInput
/// Walks a format string: text is literal until a directive marker (`%` for Apache, `$` for nginx), whose
/// reading each dialect supplies. Collects the literal and field tokens in order.
struct FormatScanner {
    let characters: [Character]
    var index = 0
    private var tokens: [LogFormat.Token] = []
    private var literal = ""

    private init(_ string: String) { characters = Array(string) }

    var atEnd: Bool { index >= characters.count }
    var current: Character { characters[index] }

    mutating func appendLiteral(_ text: String) { literal += text }

    mutating func appendField(_ kind: FieldKind, name: String) {
        flushLiteral()
        tokens.append(.field(kind, name: name))
    }

    private mutating func flushLiteral() {
        if !literal.isEmpty { tokens.append(.literal(Array(literal.utf8))) }
        literal = ""
    }

    /// `readDirective` is called with the scanner just past the marker and the marker's position.
    static func tokenize(_ string: String, marker: Character,
                         readDirective: (inout FormatScanner, Int) throws -> Void) rethrows -> [LogFormat.Token] {
        var scanner = FormatScanner(string)
        while !scanner.atEnd {
            let character = scanner.current
            scanner.index += 1
            if character == marker {
                try readDirective(&scanner, scanner.index - 1)
            } else {
                scanner.literal.append(character)
            }
        }
        scanner.flushLiteral()
        return scanner.tokens
    }
}
