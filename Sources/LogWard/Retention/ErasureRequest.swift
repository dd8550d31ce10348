import Crypto
import Foundation
import LogWardReport

/// One person's erasure request: whose lines (a client address or host name, a remote user, an e-mail
/// address), of which site, over which UTC days.
public struct ErasureRequest: Sendable {
    public enum Identifier: Sendable, Equatable {
        case client(String)
        case user(String)
        case email(String)

        var kind: String {
            switch self {
            case .client: return "client"
            case .user: return "user"
            case .email: return "email"
            }
        }

        var text: String {
            switch self {
            case .client(let value), .user(let value), .email(let value): return value
            }
        }
    }

    public var site: String
    public var identifier: Identifier
    /// The first and last UTC day (days since 1970-01-01) whose lines go; nil: no bound.
    public var fromDay: Int64?
    public var toDay: Int64?

    public init(site: String, identifier: Identifier, fromDay: Int64? = nil, toDay: Int64? = nil) {
        self.site = site.lowercased()
        self.identifier = identifier
        self.fromDay = fromDay
        self.toDay = toDay
    }

    /// Whether a line of this UTC day is in the request's range.
    func covers(day: Int64) -> Bool {
        (fromDay.map { day >= $0 } ?? true) && (toDay.map { day <= $0 } ?? true)
    }

    /// Whether a file whose lines span these instants may hold lines of the range.
    func overlaps(first: Int64?, last: Int64?) -> Bool {
        guard let first, let last else { return true }
        return Timestamp.dayNumber(first) <= (toDay ?? .max) && Timestamp.dayNumber(last) >= (fromDay ?? .min)
    }

    /// What the audit trail records of the request: a keyed digest (HMAC-SHA256 under the archive's erasure key)
    /// of site, kind and identifier, so the trail never holds the identifier, yet the operator holding the key
    /// can show that a given request was carried out.
    func digest(key: SymmetricKey) -> String {
        let message = Data("\(site)\u{0}\(identifier.kind)\u{0}\(identifier.text.lowercased())".utf8)
        let mac = HMAC<SHA256>.authenticationCode(for: message, using: key)
        return mac.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    }
}
