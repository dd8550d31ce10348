import LogWardFormat
/// The classes of identifying data a rules file assigns actions to.
public enum FieldClass: String, CaseIterable, Sendable, Codable {
    case clientAddress = "client_address"
    case forwardedFor = "forwarded_for"
    case remoteUser = "remote_user"
    case accountIDs = "account_ids"
    case emails
    case queryString = "query_string"
    case referrer
    case userAgent = "user_agent"
    case cookies

    /// How many classes there are: a table's row length. Across modules `allCases.count` builds the array on each call.
    @inlinable public static var count: Int { 9 }

    /// Position in `allCases`, for tables indexed by class.
    @inlinable public var index: Int {
        switch self {
        case .clientAddress: return 0
        case .forwardedFor: return 1
        case .remoteUser: return 2
        case .accountIDs: return 3
        case .emails: return 4
        case .queryString: return 5
        case .referrer: return 6
        case .userAgent: return 7
        case .cookies: return 8
        }
    }

    /// The actions that make sense for this class; a rules file naming another is refused.
    public var allowedActions: [FieldAction] {
        switch self {
        case .clientAddress, .forwardedFor: return [.keep, .drop, .hash, .truncate]
        case .remoteUser, .accountIDs, .emails: return [.keep, .drop, .hash]
        case .queryString, .userAgent: return [.keep, .drop]
        case .referrer: return [.keep, .drop, .truncate]
        // Cookie values may carry session tokens or (123together) an encrypted password: never copied.
        case .cookies: return [.drop]
        }
    }
}

/// What happens to a field of a class.
public enum FieldAction: String, CaseIterable, Sendable, Codable {
    /// Copied unchanged.
    case keep
    /// Replaced by `-` (or removed from a URL).
    case drop
    /// Replaced by a keyed pseudonym (HMAC-SHA256 with the policy's key of the period).
    case hash
    /// Addresses cut to a prefix (IPv4 /24, IPv6 /48 by default), host names to their registrable domain,
    /// referrers to their origin.
    case truncate
}
