import LogWardFormat
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

    /// The site named for lines without a virtual host: `--site`, else the forced policy's first site.
    public var fallbackSite: String {
        site ?? forcedIndex.flatMap { set.policies[$0].sites.first } ?? Self.noSite
    }

    /// The site of lines that name none and were given none.
    public static let noSite = "(unknown)"

    /// What a file is read as, beside its bytes: its site (`*` when its lines name their own) and a forced policy.
    /// A file is identified by scope and content, so a byte-identical log of another site is another input.
    public var scope: String { Self.scope(site: site, forcedPolicy: forcedIndex.map { set.policies[$0].id }) }

    public static func scope(site: String?, forcedPolicy: String?) -> String {
        (site?.lowercased() ?? "*") + (forcedPolicy.map { "@" + $0 } ?? "")
    }
}
