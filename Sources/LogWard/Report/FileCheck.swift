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

    mutating func merge(_ other: FileCheck) {
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

/// Collects a `FileCheck` from the lines of one input.
public struct CheckCollector: LineHandler {
    public var check: FileCheck
    /// Host names are few per file; interning them by their bytes avoids a String per line.
    private var siteCounts: [[UInt8]: Int] = [:]

    /// Locates the first rejected line and names formats that fit better (nil: no diagnosis).
    private var diagnosis: FormatDiagnosis?

    public init(path: String, format: LogFormat? = nil) {
        check = FileCheck(path: path)
        diagnosis = format.map(FormatDiagnosis.init)
    }

    public mutating func handle(_ record: LogRecord, line: UnsafeRawBufferPointer, at position: LinePosition) {
        check.parsed += 1
        if record.trailing.isPresent {
            check.trailingLines += 1
            if check.firstTrailingLines.count < RejectionTally.exampleCount { check.firstTrailingLines.append(position.number) }
            if check.trailingLines == 1, diagnosis != nil { check.trailingPresets = diagnosis!.presets(parsingWhole: line) }
        }
        if record.requestMalformed { check.malformedRequests += 1 }
        if let time = record.timestamp?.epochSeconds {
            if check.firstTime.map({ time < $0 }) ?? true { check.firstTime = time }
            if check.lastTime.map({ time > $0 }) ?? true { check.lastTime = time }
        }
        if record.virtualHost.isPresent && !record.virtualHost.isDash(in: line) {
            siteCounts[SiteName.normalized(record.virtualHost.bytes(in: line)), default: 0] += 1
        }
    }

    public mutating func reject(_ reason: RejectReason, line: UnsafeRawBufferPointer?, at position: LinePosition) {
        check.rejections.add(reason, line: position.number)
        if check.mismatch == nil, let line, diagnosis != nil {
            check.mismatch = diagnosis!.mismatch(line, number: position.number)
        }
    }

    /// The check with the scan's totals folded in.
    public func finished(with outcome: ScanOutcome) -> FileCheck {
        var result = check
        result.lines = outcome.lines
        result.inputBytes = outcome.inputBytes
        result.decodedBytes = outcome.decodedBytes
        result.error = outcome.error
        for (name, count) in siteCounts {
            result.sites[String(decoding: name, as: UTF8.self), default: 0] += count
        }
        return result
    }
}
