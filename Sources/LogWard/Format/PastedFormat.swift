import LogWardInput
/// A format pasted as it stands in a server's config: Apache's `LogFormat "%h ... \"%r\" ..." combined` or its
/// quoted string alone, nginx's `log_format main '...' '...';` or its quoted pieces alone. The quotes, the
/// directive, its name and the `;` belong to the config file, not to the format.
enum PastedFormat {
    /// The format inside the paste, or nil when `text` is not one (it is then a format string as it is).
    static func unwrap(_ text: String) -> String? {
        var rest = Substring(text.trimmingCharacters(in: .whitespacesAndNewlines))
        var directive = false
        if let word = firstWord(rest), word == "LogFormat" || word == "log_format" {
            directive = true
            rest = rest.dropFirst(word.count).drop(while: \.isWhitespace)
            // nginx names the format first (and may give escape=...); Apache names it last.
            if word == "log_format" {
                guard let name = firstWord(rest), !name.hasPrefix("'"), !name.hasPrefix("\"") else { return nil }
                rest = rest.dropFirst(name.count).drop(while: \.isWhitespace)
                if let option = firstWord(rest), option.hasPrefix("escape=") {
                    rest = rest.dropFirst(option.count).drop(while: \.isWhitespace)
                }
            }
        }
        if rest.hasSuffix(";") {
            rest = rest.dropLast()
            while rest.last?.isWhitespace == true { rest = rest.dropLast() }
        }
        guard let quote = rest.first, quote == "'" || quote == "\"" else { return nil }
        var pieces: [Substring] = []
        while let open = rest.first, open == "'" || open == "\"" {
            guard let (piece, after) = quoted(rest) else { return nil }
            pieces.append(piece)
            rest = after.drop(while: \.isWhitespace)
        }
        // What may follow the quoted pieces: Apache's nickname after `LogFormat "..."`.
        if !rest.isEmpty {
            guard directive, pieces.count == 1, firstWord(rest) == String(rest) else { return nil }
        }
        // One double-quoted string is Apache's; it is a paste only if it holds more than one field (a lone `"%r"`
        // is a format of one quoted field).
        if !directive, quote == "\"", pieces.count == 1, !pieces[0].contains(where: \.isWhitespace) { return nil }
        return pieces.joined()
    }

    private static func firstWord(_ text: Substring) -> String? {
        let word = text.prefix { !$0.isWhitespace }
        return word.isEmpty ? nil : String(word)
    }

    /// The content of the quoted piece `text` begins with (backslash escapes kept for the format's own
    /// unescaping), and what follows its closing quote.
    private static func quoted(_ text: Substring) -> (Substring, Substring)? {
        let quote = text.first!
        var index = text.index(after: text.startIndex)
        let start = index
        while index < text.endIndex {
            let character = text[index]
            if character == "\\" {
                index = text.index(after: index)
                guard index < text.endIndex else { return nil }
            } else if character == quote {
                return (text[start..<index], text[text.index(after: index)...])
            }
            index = text.index(after: index)
        }
        return nil
    }
}
