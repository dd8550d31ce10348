import LogWardAnonymize
/// The breakdowns kept per site and day, each row with hits, bytes and distinct visitors.
public enum BreakdownDimension: String, CaseIterable, Sendable, Codable {
    case status
    case method
    case hour
    case path
    case notFound = "not_found"
    case referrerDomain = "referrer_domain"
    case browser
    case operatingSystem = "os"
    case crawler
    case counter

    /// A small number per case, for hashing.
    var index: Int {
        switch self {
        case .status: return 0
        case .method: return 1
        case .hour: return 2
        case .path: return 3
        case .notFound: return 4
        case .referrerDomain: return 5
        case .browser: return 6
        case .operatingSystem: return 7
        case .crawler: return 8
        case .counter: return 9
        }
    }
}
