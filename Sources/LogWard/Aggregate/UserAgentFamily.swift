import LogWardAnonymize
/// A coarse reading of a user-agent string: browser family, operating system, and whether it is a crawler.
/// Order matters: Edge and Opera also say "Chrome", Chrome also says "Safari".
public struct UserAgentFamily: Hashable, Sendable {
    public var browser: String
    public var operatingSystem: String
    public var crawler: Bool

    private static let crawlerMarks = ["bot", "crawl", "spider", "slurp", "curl/", "wget/", "python-requests", "python-urllib",
                                       "go-http-client", "java/", "libwww", "httpclient", "feedfetcher", "facebookexternalhit",
                                       "ia_archiver", "scrapy", "okhttp", "headlesschrome"]
    private static let browsers: [(mark: String, name: String)] = [
        ("edg/", "Edge"), ("edge/", "Edge"), ("opr/", "Opera"), ("opera", "Opera"), ("firefox/", "Firefox"),
        ("chrome/", "Chrome"), ("crios/", "Chrome"), ("msie ", "Internet Explorer"), ("trident/", "Internet Explorer"),
        ("safari/", "Safari"),
    ]
    private static let systems: [(mark: String, name: String)] = [
        ("android", "Android"), ("iphone", "iOS"), ("ipad", "iOS"), ("windows", "Windows"), ("mac os x", "macOS"),
        ("macintosh", "macOS"), ("cros", "Chrome OS"), ("linux", "Linux"), ("freebsd", "BSD"), ("openbsd", "BSD"),
    ]

    package static func classify(_ agent: Span<UInt8>) -> UserAgentFamily {
        let lower = String(decoding: agent.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }, as: UTF8.self)
        if agent.isEmpty || lower == "-" { return UserAgentFamily(browser: "Unknown", operatingSystem: "Unknown", crawler: false) }
        let crawler = crawlerMarks.contains { lower.contains($0) }
        let browser = crawler ? "Crawler" : browsers.first { lower.contains($0.mark) }?.name ?? "Other"
        let system = systems.first { lower.contains($0.mark) }?.name ?? "Other"
        return UserAgentFamily(browser: browser, operatingSystem: system, crawler: crawler)
    }
}
