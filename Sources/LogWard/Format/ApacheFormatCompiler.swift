import LogWardInput
/// Reads an Apache `LogFormat` string (mod_log_config) into tokens.
enum ApacheFormatCompiler {
    static func tokenize(_ string: String) throws -> [LogFormat.Token] {
        try FormatScanner.tokenize(string, marker: "%") { scanner, start in
            let characters = scanner.characters
            guard !scanner.atEnd else { throw FormatError.unknownDirective("%", position: start) }
            if scanner.current == "%" {
                scanner.appendLiteral("%")
                scanner.index += 1
                return
            }
            // Modifiers: `<` / `>` (original or final request), `!` and status lists (`%400,501{User-agent}i`).
            while !scanner.atEnd, "<>!,0123456789".contains(scanner.current) { scanner.index += 1 }
            var argument: String?
            if !scanner.atEnd, scanner.current == "{" {
                guard let close = characters[scanner.index...].firstIndex(of: "}") else {
                    throw FormatError.unterminatedBraces(position: scanner.index)
                }
                argument = String(characters[(scanner.index + 1)..<close])
                scanner.index = close + 1
            }
            guard !scanner.atEnd else {
                throw FormatError.unknownDirective(String(characters[start...]), position: start)
            }
            let letter = scanner.current
            scanner.index += 1
            let name = String(characters[start..<scanner.index])
            if letter == "t" {
                if let argument, let field = try TimeField.apache(argument: argument) {
                    scanner.appendField(.time(field), name: name)
                    return
                }
                // `%t` writes its own brackets; `%{...}t` does not.
                if argument == nil { scanner.appendLiteral("[") }
                scanner.appendField(.timeLocal, name: name)
                if argument == nil { scanner.appendLiteral("]") }
                return
            }
            guard let kind = kind(letter: letter, argument: argument) else {
                throw FormatError.unknownDirective(name, position: start)
            }
            scanner.appendField(kind, name: name)
        }
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
        case "T":
            switch argument {
            case nil, "s": return .durationSeconds
            case "ms": return .durationMilliseconds
            case "us": return .durationMicroseconds
            default: return .other("%{\(argument!)}T")
            }
        case "i": return argument.map(FieldKind.forHeader) ?? nil
        case "C": return .cookie
        case "A", "e", "f", "I", "k", "L", "n", "o", "P", "R", "S", "X", "M", "^":
            return .other("%\(argument.map { "{\($0)}" } ?? "")\(letter)")
        default: return nil
        }
    }
}
