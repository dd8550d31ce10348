import LogWardFormat
/// Resolves a line's site and policy, remembering the last site so the usual run of lines of one site costs
/// one compare.
package struct PolicyResolver {
    package struct Resolution {
        package var index: Int
        package var site: String
        package var unknownSite: Bool
    }

    let choice: PolicyChoice
    private var lastHost: [UInt8] = []
    private var lastSite = ""
    private var lastVersions: [Int]?
    private let fallbackVersions: [Int]?
    private let fallbackSite: String

    package init(choice: PolicyChoice) {
        self.choice = choice
        fallbackVersions = choice.site.flatMap { choice.set.versions(site: $0) }
        fallbackSite = choice.fallbackSite
    }

    package mutating func resolve(_ record: LogRecord, line: Span<UInt8>, epoch: Int64) -> Resolution {
        var versions = fallbackVersions
        var site = fallbackSite
        if record.virtualHost.isPresent && !record.virtualHost.isDash(in: line) {
            let host = line.extracting(record.virtualHost.range)
            if !host.elementsEqual(lastHost) {
                lastHost = Array(host)
                lastSite = String(storedText: SiteName.normalized(host))
                lastVersions = choice.set.versions(site: lastSite)
            }
            versions = lastVersions
            site = lastSite
        }
        if let forced = choice.forcedIndex { return Resolution(index: forced, site: site, unknownSite: false) }
        guard let versions else { return Resolution(index: choice.set.defaultIndex, site: site, unknownSite: true) }
        let day = epoch.floorDivided(by: 86_400)
        return Resolution(index: choice.set.resolve(versions: versions, day: day), site: site, unknownSite: false)
    }
}
