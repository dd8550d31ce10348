import LogWardReport
/// One file the archive holds, as the ledger records it: enough to age it, verify it and rewrite it.
public struct ArchivedFile: Sendable, Equatable, Codable {
    public enum Kind: String, Sendable, Codable {
        case raw
        case anonymized

        /// The archive folder of this kind.
        public var folder: String { self == .raw ? "raw" : "anon" }
    }

    /// Relative to the archive root.
    public var path: String
    public var kind: Kind
    /// The SHA-256 of the input it came from (for a raw copy, its own).
    public var inputSHA256: String
    public var sha256: String
    public var size: Int64
    /// Lines the file holds.
    public var lines: Int
    /// The oldest and newest line timestamps (epoch seconds); nil when no line parsed.
    public var firstEpoch: Int64?
    public var newestEpoch: Int64?
    /// The policy versions that governed its lines.
    public var policies: [String]
    /// The format string its lines follow, so `retain` can rewrite a raw file and `audit` can read it.
    public var format: String
    /// The site of lines without a virtual host, and a forced policy, as the config named them.
    public var site: String?
    public var forcedPolicy: String?
    public var label: String
    /// When it was written (epoch seconds): the age of a file with no parsed line.
    public var createdEpoch: Int64

    public init(path: String, kind: Kind, inputSHA256: String, sha256: String, size: Int64, lines: Int,
                firstEpoch: Int64?, newestEpoch: Int64?, policies: [String], format: String, site: String?,
                forcedPolicy: String?, label: String, createdEpoch: Int64) {
        self.path = path
        self.kind = kind
        self.inputSHA256 = inputSHA256
        self.sha256 = sha256
        self.size = size
        self.lines = lines
        self.firstEpoch = firstEpoch
        self.newestEpoch = newestEpoch
        self.policies = policies
        self.format = format
        self.site = site
        self.forcedPolicy = forcedPolicy
        self.label = label
        self.createdEpoch = createdEpoch
    }

    /// The scope of the input it came from (see `PolicyChoice.scope`): with `inputSHA256`, the input's identity.
    public var inputScope: String { PolicyChoice.scope(site: site, forcedPolicy: forcedPolicy) }

    /// The instant its archive path is dated by: its newest line.
    public var ageEpoch: Int64 { newestEpoch ?? createdEpoch }

    /// The instant its retention windows count from: its oldest line, so that no line outlives its window (a file
    /// spanning days would otherwise keep its first line for the file's span longer).
    public var oldestEpoch: Int64 { firstEpoch ?? newestEpoch ?? createdEpoch }
}
