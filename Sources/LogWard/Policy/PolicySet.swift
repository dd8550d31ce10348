import LogWardFormat
/// All policy versions, checked as a whole, and the choice of the version that governs a line.
public struct PolicySet: Sendable {
    public let policies: [Policy]
    /// The policies flattened once for the per-line code (rewriter, statistics, path normalizer, compliance checker).
    public let compiled: CompiledPolicies
    /// Index of the policy for unknown sites.
    public let defaultIndex: Int
    /// Per site, version indexes sorted by effective date.
    private let versionsBySite: [String: [Int]]

    public init(_ loaded: [Policy]) throws {
        var policies = loaded
        var seenIDs: [String: String] = [:]
        for policy in policies {
            if let other = seenIDs[policy.id] {
                throw RulesError(file: policy.file, line: nil, "id '\(policy.id)' is also used by \(other)")
            }
            seenIDs[policy.id] = policy.file
        }
        let defaults = policies.indices.filter { policies[$0].isDefault }
        if defaults.count > 1 {
            throw RulesError(file: policies[defaults[1]].file, line: nil, "only one rules file may be the default (default: true)")
        }
        if defaults.isEmpty { policies.append(Self.builtInDefault) }
        var bySite: [String: [Int]] = [:]
        for (index, policy) in policies.enumerated() where !policy.isDefault {
            for site in policy.sites { bySite[site, default: []].append(index) }
        }
        for (site, indexes) in bySite {
            let sorted = indexes.sorted { policies[$0].effectiveDay < policies[$1].effectiveDay }
            for (first, second) in zip(sorted, sorted.dropFirst()) where policies[first].effectiveDay == policies[second].effectiveDay {
                throw RulesError(file: policies[second].file, line: nil,
                                 "\(policies[first].id) and \(policies[second].id) both govern \(site) from \(policies[second].effectiveDate)")
            }
            bySite[site] = sorted
            // A version promised notice of its change: the version after it must have been announced that long
            // before it took effect.
            for (earlier, later) in zip(sorted, sorted.dropFirst()) {
                guard let notice = policies[earlier].notice else { continue }
                let promise = policies[earlier].listQuotes["notice"].map { " (\"\($0)\")" } ?? ""
                guard let announced = policies[later].announcedDay else {
                    throw RulesError(file: policies[later].file, line: nil,
                                     "\(policies[earlier].id) promises \(notice.description) of notice before a change\(promise); "
                                     + "\(policies[later].id) must say when it was announced (announced: YYYY-MM-DD)")
                }
                guard notice.isKept(announced: announced, effective: policies[later].effectiveDay) else {
                    throw RulesError(file: policies[later].file, line: nil,
                                     "\(policies[later].id) takes effect \(policies[later].effectiveDate), announced \(policies[later].announcedDate!): "
                                     + "sooner than the \(notice.description) of notice \(policies[earlier].id) promises\(promise)")
                }
            }
        }
        self.policies = policies
        compiled = CompiledPolicies(policies)
        defaultIndex = policies.firstIndex { $0.isDefault }!
        versionsBySite = bySite
    }

    public func policy(id: String) -> Policy? { policies.first { $0.id == id } }

    /// Line counts by policy index (as reports keep them) keyed by policy id, leaving out policies with none.
    public func countsByID(_ counts: [Int]) -> [String: Int] {
        Dictionary(uniqueKeysWithValues: counts.enumerated().filter { $0.element > 0 }.map { (policies[$0.offset].id, $0.element) })
    }
    public func index(id: String) -> Int? { policies.firstIndex { $0.id == id } }

    /// The versions of a site, oldest first; nil for an unknown site.
    public func versions(site: String) -> [Int]? { versionsBySite[site.lowercased()] }

    /// The version in force on `day` (days since 1970): the newest whose effective date is not after it;
    /// lines older than every version follow the oldest.
    public func resolve(versions: [Int], day: Int64) -> Int {
        var chosen = versions[0]
        for index in versions.dropFirst() where policies[index].effectiveDay <= day { chosen = index }
        return chosen
    }

    /// Used when no rules file says `default: true`: every identifying field dropped, nothing kept raw.
    public static let builtInDefault = Policy(
        id: "default", sites: [], source: "", effectiveDay: 0, audience: .internal, kAnonymity: 10,
        retention: Policy.Retention(rawDays: 0, anonymizedDays: 30, keyDays: 0), keyPeriodDays: 1,
        ipv4Prefix: 24, ipv6Prefix: 48,
        fields: Dictionary(uniqueKeysWithValues: FieldClass.allCases.map { ($0, Policy.FieldRule(action: .drop, quote: nil)) }),
        accountPathPatterns: [], accountQueryParameters: [], counters: [], file: "(built-in default)", isDefault: true,
        idShapedSegments: true)
}
