import Foundation

/// What a pass does with each record of a batch (`PassEngine`'s workers): resolve its site and policy, keep its
/// statistics fields for the aggregator, and append the anonymized line to the batch's output; a rejected line is
/// counted, and scrubbed into the output with `--on-reject scrub`. Either output is optional (`stats` alone,
/// `anonymize` alone).
public struct PassHandler: LineHandler {
    private var anonymizer: LineAnonymizer
    private var resolver: PolicyResolver
    private let onReject: RejectHandling
    private let now: Int64
    /// Each line's statistics fields in the batch, for the aggregator.
    private var statsBatch: StatsBatch?
    public private(set) var report: PassFileReport
    /// Locates the first rejected line for the report (made when one is rejected).
    private var diagnosis: FormatDiagnosis?
    private let format: LogFormat
    /// The first write or key error: after it nothing more is done and the run fails.
    public private(set) var failure: (any Error)?

    public init(path: String, format: LogFormat, choice: PolicyChoice, pool: PseudonymizerPool, onReject: RejectHandling = .drop,
                now: Int64 = Int64(Date().timeIntervalSince1970)) {
        anonymizer = LineAnonymizer(format: format, compiled: choice.set.compiled, pool: pool)
        resolver = PolicyResolver(choice: choice)
        self.onReject = onReject
        self.now = now
        self.format = format
        report = PassFileReport(path: path, policyCount: choice.set.policies.count)
    }

    /// A line of a pass that writes no log (statistics alone).
    public mutating func handle(_ record: LogRecord, line: UnsafeRawBufferPointer, at position: LinePosition) {
        guard tally(record, line: line) != nil else { return }
        report.written += 1
    }

    /// A line anonymized straight into its batch's buffer `out` (newline included).
    mutating func handle(_ record: LogRecord, line: UnsafeRawBufferPointer, at position: LinePosition, appendingTo out: inout LineBuffer) {
        guard let (policyIndex, epoch) = tally(record, line: line) else { return }
        do {
            try anonymizer.anonymize(record, line: line, policyIndex: policyIndex, epoch: epoch, appendingTo: &out)
            out.append(UInt8(ascii: "\n"))
            report.written += 1
        } catch {
            failure = error
        }
    }

    /// Resolves a parsed line's policy and counts it (report, statistics); nil once the pass has failed.
    private mutating func tally(_ record: LogRecord, line: UnsafeRawBufferPointer) -> (policyIndex: Int, epoch: Int64)? {
        guard failure == nil else { return nil }
        let epoch = record.timestamp?.epochSeconds ?? now
        if let timestamp = record.timestamp { report.noteTimestamp(timestamp.epochSeconds) }
        let resolution = resolver.resolve(record, line: line, epoch: epoch)
        report.linesByPolicy[resolution.index] += 1
        if resolution.unknownSite { report.noteUnknownSite(resolution.site) }
        statsBatch?.add(record, line: line, policyIndex: resolution.index, epoch: epoch, site: resolution.site)
        return (resolution.index, epoch)
    }

    /// A rejected line of a pass that writes no log: counted.
    public mutating func reject(_ reason: RejectReason, line: UnsafeRawBufferPointer?, at position: LinePosition) {
        _ = countRejection(reason, line: line, at: position, writes: false)
    }

    /// A rejected line: with `--on-reject scrub`, its scrubbed form goes into the batch's buffer `out`.
    mutating func reject(_ reason: RejectReason, line: UnsafeRawBufferPointer?, at position: LinePosition, appendingTo out: inout LineBuffer) {
        guard let scrubbed = countRejection(reason, line: line, at: position, writes: true) else { return }
        scrubbed.withUnsafeBytes { out.appendBytes($0) }
        out.append(UInt8(ascii: "\n"))
        report.scrubbed += 1
    }

    /// Counts a rejected line; returns its scrubbed form when one is to be written.
    private mutating func countRejection(_ reason: RejectReason, line: UnsafeRawBufferPointer?, at position: LinePosition,
                                         writes: Bool) -> [UInt8]? {
        report.rejections.add(reason, line: position.number)
        if report.mismatch == nil, let line {
            if diagnosis == nil { diagnosis = FormatDiagnosis(format: format) }
            report.mismatch = diagnosis!.mismatch(line, number: position.number)
        }
        statsBatch?.reject()
        guard failure == nil, onReject == .scrub, writes, let line else { return nil }
        return LineScrubber.scrub(line)
    }

    /// Starts a batch whose bytes start at `base`; with `recordingStats` its lines' statistics
    /// fields are kept for `endBatch`.
    mutating func beginBatch(base: UnsafeRawPointer?, recordingStats: Bool, lines: Int = 0) {
        statsBatch = recordingStats ? StatsBatch(base: base, capacity: lines) : nil
    }

    mutating func endBatch() -> StatsBatch? {
        defer { statsBatch = nil }
        return statsBatch
    }

    /// The rejections since the last call (the batch's), leaving the report's tally empty.
    mutating func takeRejections() -> RejectionTally {
        defer { report.rejections = RejectionTally() }
        return report.rejections
    }

    public func finished(with outcome: ScanOutcome) -> PassFileReport {
        var result = report
        result.lines = outcome.lines
        result.fieldsChanged = anonymizer.counts
        result.error = outcome.error
        return result
    }
}
