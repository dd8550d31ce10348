import Foundation
import LogWardInput

/// What a field of a log format holds, whichever server wrote it. Anonymizer rules and aggregates speak of these.
public enum FieldKind: Hashable, Sendable, CustomStringConvertible {
    /// `%h`, `%a`, `$remote_addr`: an IPv4/IPv6 address or, with HostnameLookups, a host name.
    case clientAddress
    /// `%l`: identd, almost always `-`.
    case identity
    /// `%u`, `$remote_user`.
    case remoteUser
    /// `%t`, `$time_local`: `10/Oct/2000:13:55:36 -0700`.
    case timeLocal
    /// `$time_iso8601`: `2000-10-10T13:55:36-07:00`.
    case timeISO8601
    /// Apache's `%{...}t` forms and nginx's `$msec`.
    case time(TimeField)
    /// `%r`, `$request`: `GET /path?query HTTP/1.1`.
    case request
    /// `%m`, `$request_method`.
    case method
    /// `%U`, `$uri`: path without query.
    case urlPath
    /// `%q`, `$args`: query string.
    case queryString
    /// `$request_uri`: path with query.
    case requestURI
    /// `%H`, `$server_protocol`.
    case requestProtocol
    /// `%>s`, `%s`, `$status`.
    case status
    /// `%b`, `%B`, `$body_bytes_sent`: response body size (`-` for none in `%b`).
    case responseBytes
    /// `%O`, `$bytes_sent`: bytes sent including headers.
    case bytesSent
    /// `%{Referer}i`, `$http_referer`.
    case referrer
    /// `%{User-Agent}i`, `$http_user_agent`.
    case userAgent
    /// `%{X-Forwarded-For}i`, `$http_x_forwarded_for`: a comma-separated address list.
    case forwardedFor
    /// `%{Cookie}i`, `%{NAME}C`, `$http_cookie`, `$cookie_NAME`.
    case cookie
    /// `%v`, `%V`, `%{Host}i`, `$host`, `$server_name`: the site.
    case virtualHost
    /// `%p`, `$server_port`.
    case serverPort
    /// `%D`, `%{us}T`: microseconds.
    case durationMicroseconds
    /// `%{ms}T`: milliseconds.
    case durationMilliseconds
    /// `%T`, `%{s}T`, `$request_time`: seconds (nginx with a millisecond fraction).
    case durationSeconds
    /// `$upstream_response_time`: seconds per upstream tried (`0.002, 0.003 : 0.010`).
    case upstreamDuration
    /// Another request header, by lower-case name.
    case header(String)
    /// Any other directive or variable, kept by name.
    case other(String)

    public var description: String {
        switch self {
        case .clientAddress: return "client-address"
        case .identity: return "identity"
        case .remoteUser: return "remote-user"
        case .timeLocal: return "time"
        case .timeISO8601: return "time-iso8601"
        case .time(let field): return "time:\(field)"
        case .request: return "request"
        case .method: return "method"
        case .urlPath: return "url-path"
        case .queryString: return "query-string"
        case .requestURI: return "request-uri"
        case .requestProtocol: return "protocol"
        case .status: return "status"
        case .responseBytes: return "response-bytes"
        case .bytesSent: return "bytes-sent"
        case .referrer: return "referrer"
        case .userAgent: return "user-agent"
        case .forwardedFor: return "forwarded-for"
        case .cookie: return "cookie"
        case .virtualHost: return "virtual-host"
        case .serverPort: return "server-port"
        case .durationMicroseconds: return "duration-us"
        case .durationMilliseconds: return "duration-ms"
        case .durationSeconds: return "duration-s"
        case .upstreamDuration: return "upstream-duration"
        case .header(let name): return "header:\(name)"
        case .other(let name): return "other:\(name)"
        }
    }

    /// The kind a request header names, so `%{User-Agent}i` and `$http_user_agent` meet.
    static func forHeader(_ name: String) -> FieldKind {
        switch name.lowercased().replacingOccurrences(of: "_", with: "-") {
        case "referer", "referrer": return .referrer
        case "user-agent": return .userAgent
        case "x-forwarded-for": return .forwardedFor
        case "cookie": return .cookie
        case "host": return .virtualHost
        case let other: return .header(other)
        }
    }
}
