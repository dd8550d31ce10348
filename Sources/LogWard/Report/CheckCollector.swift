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
