import LogWardFormat
/// A policy set flattened once into the per-policy arrays the per-line code reads by policy index, so no `Policy`
/// value is copied (and retained) on the hot path: the field rewriter, the statistics collector, the path
/// normalizer and the compliance checker all read this one table (`PolicySet.compiled`).
public struct CompiledPolicies: Sendable {
    public let policies: [Policy]
    package let ids: [String]
    /// Days per pseudonym key period.
    package let periodDays: [Int]
    /// Each policy's action per field class, flat by `index * FieldClass.count + FieldClass.index`: a
    /// nested array would be retained on every lookup.
    package let actionTable: [FieldAction]
    package let ipv4Prefixes: [Int]
    package let ipv6Prefixes: [Int]
    /// The lower-cased query parameter names that carry account ids.
    package let accountParameterNames: [[[UInt8]]]
    /// The same names as written in the rules, for the compliance checker's lookups.
    package let accountParameterSets: [Set<[UInt8]>]
    package let accountPatterns: [PathPatternSet]
    package let accountPrefilter: PathPatternPrefilter
    package let idShapedSegments: [Bool]
    /// Query parameters a policy keeps (nil: it keeps the query as its field rule says).
    package let keptQueryParameters: [[[UInt8]]?]
    package let counters: [[CounterRule]]
    /// Whether a policy has counters: tested on every line without touching its rules.
    package let hasCounters: [Bool]

    public init(_ policies: [Policy]) {
        self.policies = policies
        ids = policies.map(\.id)
        periodDays = policies.map(\.keyPeriodDays)
        actionTable = policies.flatMap { policy in FieldClass.allCases.map { fieldClass in policy.action(fieldClass) } }
        ipv4Prefixes = policies.map(\.ipv4Prefix)
        ipv6Prefixes = policies.map(\.ipv6Prefix)
        accountParameterNames = policies.map { $0.accountQueryParameters.map { Array($0.lowercased().utf8) } }
        accountParameterSets = policies.map { Set($0.accountQueryParameters.map { Array($0.utf8) }) }
        accountPatterns = policies.map { PathPatternSet($0.accountPathPatterns) }
        accountPrefilter = PathPatternPrefilter(policies.map(\.accountPathPatterns))
        idShapedSegments = policies.map(\.idShapedSegments)
        keptQueryParameters = policies.map { $0.keptQueryParameters?.map { Array($0.utf8) } }
        counters = policies.map(\.counters)
        hasCounters = policies.map { !$0.counters.isEmpty }
    }
}
