import LogWardInput
/// Reads an nginx `log_format` string into tokens: `$name` and `${name}` variables between literals.
enum NginxFormatCompiler {
    static func tokenize(_ string: String) throws -> [LogFormat.Token] {
        try FormatScanner.tokenize(string, marker: "$") { scanner, start in
            let characters = scanner.characters
            var name = ""
            if !scanner.atEnd, scanner.current == "{" {
                guard let close = characters[scanner.index...].firstIndex(of: "}") else {
                    throw FormatError.unterminatedBraces(position: scanner.index)
                }
                name = String(characters[(scanner.index + 1)..<close])
                scanner.index = close + 1
            } else {
                while !scanner.atEnd, scanner.current.isASCII,
                      scanner.current.isLetter || scanner.current.isNumber || scanner.current == "_" {
                    name.append(scanner.current)
                    scanner.index += 1
                }
            }
            guard !name.isEmpty else {
                scanner.appendLiteral("$")
                return
            }
            scanner.appendField(kind(variable: name), name: String(characters[start..<scanner.index]))
        }
    }

    /// Variables nginx writes as lists, one item per upstream tried (`, ` between servers, ` : ` between groups).
    static let listVariables: Set<String> = [
        "upstream_addr", "upstream_status", "upstream_response_time", "upstream_connect_time", "upstream_header_time",
        "upstream_response_length", "upstream_bytes_received", "upstream_bytes_sent", "upstream_cache_status",
    ].reduce(into: []) { $0.insert("$" + $1) }

    private static func kind(variable: String) -> FieldKind {
        switch variable {
        case "remote_addr", "realip_remote_addr", "binary_remote_addr": return .clientAddress
        case "remote_user": return .remoteUser
        case "time_local": return .timeLocal
        case "time_iso8601": return .timeISO8601
        case "msec": return .time(.epochDecimal)
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
        case "upstream_response_time": return .upstreamDuration
        default:
            if variable.hasPrefix("http_") { return FieldKind.forHeader(String(variable.dropFirst(5))) }
            if variable.hasPrefix("cookie_") { return .cookie }
            return .other("$\(variable)")
        }
    }
}
