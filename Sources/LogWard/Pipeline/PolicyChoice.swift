/// How the policy of each line is chosen.
public struct PolicyChoice: Sendable {
    public let set: PolicySet
    /// `--policy ID`: this version governs every line, whatever its site or date.
    public var forcedIndex: Int?
    /// `--site HOST`: the site of lines whose format has no virtual-host field.
    public var site: String?

    public init(set: PolicySet, forcedPolicy: String? = nil, site: String? = nil) throws {
        self.set = set
        if let forcedPolicy {
            guard let index = set.index(id: forcedPolicy) else {
                throw RulesError(file: "--policy", line: nil,
                                 "no policy '\(forcedPolicy)'; known: \(set.policies.map(\.id).joined(separator: ", "))")
            }
            forcedIndex = index
        }
        self.site = site?.lowercased()
    }
}

/// Resolves a line's policy, remembering the last site so the usual run of lines of one site costs one compare.
struct PolicyResolver {
    let choice: PolicyChoice
    private var lastSite: [UInt8] = []
    private var lastVersions: [Int]?
    private let fallbackVersions: [Int]?

    init(choice: PolicyChoice) {
        self.choice = choice
        fallbackVersions = choice.site.flatMap { choice.set.versions(site: $0) }
    }

    /// The policy index, and whether the site was unknown (the default policy then governs).
    mutating func resolve(_ record: LogRecord, line: UnsafeRawBufferPointer, epoch: Int64) -> (index: Int, unknownSite: Bool) {
        if let forced = choice.forcedIndex { return (forced, false) }
        var versions = fallbackVersions
        if record.virtualHost.isPresent && !record.virtualHost.isDash(in: line) {
            let host = record.virtualHost.bytes(in: line)
            if !host.elementsEqual(lastSite) {
                lastSite = Array(host)
                lastVersions = choice.set.versions(site: String(decoding: SiteName.normalized(host), as: UTF8.self))
            }
            versions = lastVersions
        }
        guard let versions else { return (choice.set.defaultIndex, true) }
        let day = epoch >= 0 ? epoch / 86_400 : (epoch - 86_399) / 86_400
        return (choice.set.resolve(versions: versions, day: day), false)
    }
}
