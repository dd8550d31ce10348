/// What anonymizing one input did: every line is written, scrubbed, or rejected and counted.
public struct AnonymizeFileReport: Sendable {
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
    public var error: InputError?

    public init(path: String, policyCount: Int) {
        self.path = path
        linesByPolicy = Array(repeating: 0, count: policyCount)
    }

    public var rejected: Int { rejections.total }

    /// Every line accounted for: written (parsed) + rejected.
    public var isBalanced: Bool { written + rejected == lines }
}
