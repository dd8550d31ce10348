/// Reads an nginx `log_format` string into tokens: `$name` and `${name}` variables between literals.
enum NginxFormatCompiler {
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
            guard character == "$" else {
                literal.append(character)
                index += 1
                continue
            }
            let start = index
            index += 1
            var name = ""
            if index < characters.count, characters[index] == "{" {
                guard let close = characters[index...].firstIndex(of: "}") else {
                    throw FormatError.unterminatedBraces(position: index)
                }
                name = String(characters[(index + 1)..<close])
                index = close + 1
            } else {
                while index < characters.count, characters[index].isASCII,
                      characters[index].isLetter || characters[index].isNumber || characters[index] == "_" {
                    name.append(characters[index])
                    index += 1
                }
            }
            guard !name.isEmpty else {
                literal.append("$")
                continue
            }
            flushLiteral()
            tokens.append(.field(kind(variable: name), name: String(characters[start..<index])))
        }
        flushLiteral()
        return tokens
    }

    private static func kind(variable: String) -> FieldKind {
        switch variable {
        case "remote_addr", "realip_remote_addr", "binary_remote_addr": return .clientAddress
        case "remote_user": return .remoteUser
        case "time_local": return .timeLocal
        case "time_iso8601": return .timeISO8601
        case "request": return .request
        case "request_method": return .method
        case "uri", "document_uri": return .urlPath
        case "args", "query_string": return .queryString
        case "request_uri": return .requestURI
        case "server_protocol": return .requestProtocol
        case "status": return .status
        case "body_bytes_sent": return .responseBytes
        case "bytes_sent": return .bytesSent
        case "proxy_add_x_forwarded_for": return .forwardedFor
        case "host", "server_name": return .virtualHost
        case "server_port": return .serverPort
        case "request_time": return .durationSeconds
        default:
            if variable.hasPrefix("http_") { return FieldKind.forHeader(String(variable.dropFirst(5))) }
            if variable.hasPrefix("cookie_") { return .cookie }
            return .other("$\(variable)")
        }
    }
}
