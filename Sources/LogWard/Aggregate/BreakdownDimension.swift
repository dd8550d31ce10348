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
}
