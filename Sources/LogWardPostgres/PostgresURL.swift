import Foundation
import LogWard
import PostgresNIO

/// `postgres://user:password@host:port/database?sslmode=...` as libpq reads it, for the connection's configuration.
/// `host=/run/postgresql` (a socket folder, as libpq) connects through the Unix socket; the user defaults to the
/// login name. TLS: `sslmode=disable`, `require` (encrypted, certificate not checked) or `verify-full`; the default
/// is `disable` on loopback and sockets, `verify-full` anywhere else, so a password never crosses a network in clear.
enum PostgresURL {
    static func configuration(_ url: String) throws -> PostgresConnection.Configuration {
        let shown = StatsSinks.redacted(url)
        guard let components = URLComponents(string: url), ["postgres", "postgresql"].contains(components.scheme ?? "") else {
            throw UsageError("--postgres: '\(shown)' is not a postgres://user@host:port/database URL")
        }
        let query = Dictionary((components.queryItems ?? []).map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { _, last in last })
        let user = components.user.flatMap { $0.removingPercentEncoding } ?? ProcessInfo.processInfo.environment["USER"] ?? "postgres"
        let password = components.password.flatMap { $0.removingPercentEncoding } ?? ProcessInfo.processInfo.environment["PGPASSWORD"]
        let database = String(components.path.drop { $0 == "/" }).removingPercentEncoding.flatMap { $0.isEmpty ? nil : $0 }
        let port = components.port ?? 5432
        let socketFolder = query["host"].flatMap { $0.hasPrefix("/") ? $0 : nil }
        let host = components.host.flatMap { $0.isEmpty ? nil : $0 } ?? query["host"] ?? ""
        if let socketFolder {
            return .init(unixSocketPath: socketFolder + "/.s.PGSQL.\(port)", username: user, password: password, database: database)
        }
        guard !host.isEmpty else { throw UsageError("--postgres: '\(shown)' names no host (or host=/socket/folder)") }
        let loopback = host == "localhost" || host == "::1" || host.hasPrefix("127.")
        let tls: PostgresConnection.Configuration.TLS
        switch query["sslmode"] ?? (loopback ? "disable" : "verify-full") {
        case "disable":
            tls = .disable
        case "require":
            var configuration = TLSConfiguration.makeClientConfiguration()
            configuration.certificateVerification = .none
            tls = .require(try NIOSSLContext(configuration: configuration))
        case "verify-full":
            tls = .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
        case let mode:
            throw UsageError("--postgres: sslmode '\(mode)' is not disable, require or verify-full")
        }
        return .init(host: host, port: port, username: user, password: password, database: database, tls: tls)
    }
}

/// A `--postgres` URL logward cannot use: exit 2, as any bad option.
public struct UsageError: LogWardError, Equatable, Sendable {
    public var message: String

    init(_ message: String) { self.message = message }

    public var description: String { message }
    public var exitStatus: ExitStatus { .usage }
}
