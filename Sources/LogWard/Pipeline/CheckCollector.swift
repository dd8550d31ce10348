import LogWardOutput
/// Collects a `FileCheck` from the lines of one input: line by line (a `LineHandler`), or batch by batch on a
/// pass's workers (`CheckHandler`), whose tallies are appended in input order.
package struct CheckCollector: LineHandler {
    /// What a run of consecutive lines showed: a batch's, or the input's so far.
    public struct Tally: Sendable {
        var check: FileCheck
        /// Host names are few per file; interning them by their bytes avoids a String per line.
        var siteCounts: [[UInt8]: Int] = [:]

        init(path: String) { check = FileCheck(path: path) }

        /// Adds the tally of the lines that follow these: counts add up, the first examples stay first.
        mutating func append(_ later: Tally) {
            check.parsed += later.check.parsed
            check.malformedRequests += later.check.malformedRequests
            check.rejections.append(later.check.rejections)
            if let time = later.check.firstTime { check.firstTime = min(check.firstTime ?? time, time) }
            if let time = later.check.lastTime { check.lastTime = max(check.lastTime ?? time, time) }
            if check.trailingLines == 0 { check.trailingPresets = later.check.trailingPresets }
            check.trailingLines += later.check.trailingLines
            check.firstTrailingLines = Array((check.firstTrailingLines + later.check.firstTrailingLines).prefix(RejectionTally.exampleCount))
            if check.mismatch == nil { check.mismatch = later.check.mismatch }
            for (site, count) in later.siteCounts { siteCounts[site, default: 0] += count }
        }
    }

    public private(set) var tally: Tally
    /// Locates the first rejected line and names formats that fit better (nil: no diagnosis).
    private var diagnosis: FormatDiagnosis?

    public init(path: String, format: LogFormat? = nil) {
        tally = Tally(path: path)
        diagnosis = format.map(FormatDiagnosis.init)
    }

    @inline(__always)
    package mutating func handle(_ record: borrowing LogRecord, line: Span<UInt8>, at position: LinePosition) {
        tally.check.parsed += 1
        if record.trailing.isPresent {
            tally.check.trailingLines += 1
            if tally.check.firstTrailingLines.count < RejectionTally.exampleCount { tally.check.firstTrailingLines.append(position.number) }
            if tally.check.trailingLines == 1, diagnosis != nil { tally.check.trailingPresets = diagnosis!.presets(parsingWhole: line) }
        }
        if record.requestMalformed { tally.check.malformedRequests += 1 }
        if let time = record.timestamp?.epochSeconds {
            if tally.check.firstTime.map({ time < $0 }) ?? true { tally.check.firstTime = time }
            if tally.check.lastTime.map({ time > $0 }) ?? true { tally.check.lastTime = time }
        }
        if record.virtualHost.isPresent && !record.virtualHost.isDash(in: line) {
            tally.siteCounts[SiteName.normalized(line.extracting(record.virtualHost.range)), default: 0] += 1
        }
    }

    package mutating func reject(_ reason: RejectReason, line: Span<UInt8>?, at position: LinePosition) {
        tally.check.rejections.add(reason, line: position.number)
        if tally.check.mismatch == nil, let line, diagnosis != nil {
            tally.check.mismatch = diagnosis!.mismatch(line, number: position.number)
        }
    }

    /// The tally so far, and a new one started (a batch's lines, taken at the batch's end).
    public mutating func takeTally() -> Tally {
        defer { tally = Tally(path: tally.check.path) }
        return tally
    }

    /// Adds a later part of the same input, counted apart (another batch).
    public mutating func append(_ later: Tally) { tally.append(later) }

    /// The check with the scan's totals folded in.
    public func finished(with outcome: ScanOutcome) -> FileCheck {
        var result = tally.check
        result.lines = outcome.lines
        result.inputBytes = outcome.inputBytes
        result.decodedBytes = outcome.decodedBytes
        result.error = outcome.error
        for (name, count) in tally.siteCounts {
            result.sites[String(decoding: name, as: UTF8.self), default: 0] += count
        }
        return result
    }
}
