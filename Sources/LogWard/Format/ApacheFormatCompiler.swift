/// Reads an Apache `LogFormat` string (mod_log_config) into tokens.
enum ApacheFormatCompiler {
    /// The strftime form of the default `%t`, written without brackets.
    private static let defaultTimeFormat = "%d/%b/%Y:%H:%M:%S %z"

    static func tokenize(_ string: String) throws -> [LogFormat.Token] {
        let characters = Array(string)
        var tokens: [LogFormat.Token] = []
        var literal = ""
        var index = 0
        func flushLiteral() {
            if !literal.isEmpty { tokens.append(.literal(Array(literal.utf8))) }
            literal = ""
        }
        while index < characters.count {
            let character = characters[index]
            guard character == "%" else {
                literal.append(character)
                index += 1
                continue
            }
            let start = index
            index += 1
            guard index < characters.count else { throw FormatError.unknownDirective("%", position: start) }
            if characters[index] == "%" {
                literal.append("%")
                index += 1
                continue
            }
            // Modifiers: `<` / `>` (original or final request), `!` and status lists (`%400,501{User-agent}i`).
            while index < characters.count, "<>!,0123456789".contains(characters[index]) { index += 1 }
            var argument: String?
            if index < characters.count, characters[index] == "{" {
                guard let close = characters[index...].firstIndex(of: "}") else {
                    throw FormatError.unterminatedBraces(position: index)
                }
                argument = String(characters[(index + 1)..<close])
                index = close + 1
            }
            guard index < characters.count else {
                throw FormatError.unknownDirective(String(characters[start...]), position: start)
            }
            let letter = characters[index]
            index += 1
            let name = String(characters[start..<index])
            flushLiteral()
            if letter == "t" && (argument == nil || argument == defaultTimeFormat) {
                if argument == nil { tokens.append(.literal([UInt8(ascii: "[")])) }
                tokens.append(.field(.timeLocal, name: name))
                if argument == nil { tokens.append(.literal([UInt8(ascii: "]")])) }
                continue
            }
            guard let kind = kind(letter: letter, argument: argument) else {
                throw FormatError.unknownDirective(name, position: start)
            }
            tokens.append(.field(kind, name: name))
        }
        flushLiteral()
        return tokens
    }

    private static func kind(letter: Character, argument: String?) -> FieldKind? {
        switch letter {
        case "h", "a": return .clientAddress
        case "l": return .identity
        case "u": return .remoteUser
        case "r": return .request
        case "m": return .method
        case "U": return .urlPath
        case "q": return .queryString
        case "H": return .requestProtocol
        case "s": return .status
        case "b", "B": return .responseBytes
        case "O": return .bytesSent
        case "v", "V": return .virtualHost
        case "p": return .serverPort
        case "D": return .durationMicroseconds
        case "T": return argument == nil || argument == "s" ? .durationSeconds : .other("%{\(argument!)}T")
        case "i": return argument.map(FieldKind.forHeader) ?? nil
        case "C": return .cookie
        case "t": return .other("%{\(argument ?? "")}t")
        case "A", "e", "f", "I", "k", "L", "n", "o", "P", "R", "S", "X", "M", "^":
            return .other("%\(argument.map { "{\($0)}" } ?? "")\(letter)")
        default: return nil
        }
    }
}
