import LogWardOutput
/// What a pass did with one input (anonymized, counted, or both): every line is written, scrubbed, or rejected and
/// counted.
public struct PassFileReport: Sendable {
    public var path: String
    public var lines = 0
    public var written = 0
    public var scrubbed = 0
    public var rejections = RejectionTally()
    public var fieldsChanged = AnonymizationCounts()
    /// Lines per policy, by index in the policy set.
    public var linesByPolicy: [Int]
    /// Lines whose site no rules file names (the default policy governed them).
    public var unknownSiteLines = 0
    /// Those lines per site, by name: at most `unknownSitesListed` names, the rest counted under "(more)". A
    /// virtual host that is an address or not a host name is never printed (it may identify someone).
    public var unknownSites: [String: Int] = [:]
    static let unknownSitesListed = 20
    /// The oldest and newest timestamps of the parsed lines (epoch seconds): retention ages a file by its newest.
    public var firstEpoch: Int64?
    public var lastEpoch: Int64?
    public var error: InputError?
    /// The first rejected line, located (field and byte), with the stock formats that would read it.
    public var mismatch: FormatDiagnosis.Mismatch?

    public init(path: String, policyCount: Int) {
        self.path = path
        linesByPolicy = Array(repeating: 0, count: policyCount)
    }

    public var rejected: Int { rejections.total }

    /// The last unknown site and its printable name: lines come in runs of one site.
    private var lastUnknownSite: String?
    private var lastUnknownName = ""

    mutating func noteUnknownSite(_ site: String) {
        if site != lastUnknownSite {
            lastUnknownSite = site
            lastUnknownName = site == PolicyChoice.noSite ? "(no site: the format has no virtual host and no --site was given)"
                : SiteName.printable(site)
        }
        count(unknownSite: lastUnknownName, lines: 1)
    }

    private mutating func count(unknownSite name: String, lines: Int) {
        unknownSiteLines += lines
        let listed = unknownSites[name] != nil || unknownSites.count < Self.unknownSitesListed
        unknownSites[listed ? name : "(more)", default: 0] += lines
    }

    mutating func noteTimestamp(_ epoch: Int64) {
        if firstEpoch.map({ epoch < $0 }) ?? true { firstEpoch = epoch }
        if lastEpoch.map({ epoch > $0 }) ?? true { lastEpoch = epoch }
    }

    /// Takes in the counts of a part of the same file (a parallel worker's).
    mutating func absorb(_ part: PassFileReport) {
        written += part.written
        scrubbed += part.scrubbed
        fieldsChanged.add(part.fieldsChanged)
        for (name, lines) in part.unknownSites { count(unknownSite: name, lines: lines) }
        for index in linesByPolicy.indices { linesByPolicy[index] += part.linesByPolicy[index] }
        if let theirs = part.mismatch, mismatch.map({ theirs.line < $0.line }) ?? true { mismatch = theirs }
        if let first = part.firstEpoch { noteTimestamp(first) }
        if let last = part.lastEpoch { noteTimestamp(last) }
    }
}
