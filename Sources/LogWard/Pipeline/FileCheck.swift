import LogWardOutput
/// What `logward check` learns about one input (or the total over all of them).
public struct FileCheck: Sendable, Equatable {
    public var path: String
    public var lines = 0
    public var parsed = 0
    public var rejections = RejectionTally()
    public var malformedRequests = 0
    public var firstTime: Int64?
    public var lastTime: Int64?
    public var sites: [String: Int] = [:]
    public var inputBytes: Int64 = 0
    public var decodedBytes: Int64 = 0
    public var error: InputError?
    /// Parsed lines with data after the format's last field: the format may be shorter than the log.
    public var trailingLines = 0
    public var firstTrailingLines: [Int] = []
    /// Stock formats that read the first such line whole.
    public var trailingPresets: [String] = []
    /// The first rejected line, located (field and byte), with the stock formats that would read it.
    public var mismatch: FormatDiagnosis.Mismatch?

    public init(path: String) { self.path = path }

    public var rejected: Int { rejections.total }

    package mutating func merge(_ other: FileCheck) {
        lines += other.lines
        parsed += other.parsed
        rejections.merge(other.rejections)
        malformedRequests += other.malformedRequests
        if let time = other.firstTime { firstTime = min(firstTime ?? time, time) }
        if let time = other.lastTime { lastTime = max(lastTime ?? time, time) }
        for (site, count) in other.sites { sites[site, default: 0] += count }
        inputBytes += other.inputBytes
        decodedBytes += other.decodedBytes
        trailingLines += other.trailingLines
    }
}
