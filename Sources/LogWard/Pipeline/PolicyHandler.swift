import LogWardOutput
import Foundation

/// What a pass of `anonymize`, `stats` or the nightly job does with each record of a batch (a `PassEngine`
/// worker): resolve its site and policy, keep its statistics fields for the aggregator, and append the anonymized
/// line to the batch's output; a rejected line is counted, and scrubbed into the output with `--on-reject scrub`.
/// Either output is optional (`stats` alone, `anonymize` alone).
struct PolicyHandler: PassHandler {
    /// A batch's rejections (line numbers in input order) and its lines' statistics fields.
    struct BatchResult {
        var rejections: RejectionTally
        var stats: StatsBatch?
    }

    private var anonymizer: LineAnonymizer
    private var resolver: PolicyResolver
    private let onReject: RejectHandling
    private let now: Int64
    /// Each line's statistics fields in the batch, for the aggregator.
    private var statsBatch: StatsBatch?
    private(set) var report: PassFileReport
    /// Locates the first rejected line for the report (made when one is rejected).
    private var diagnosis: FormatDiagnosis?
    private let format: LogFormat
    /// Anonymized lines are written (else only counted: `stats`).
    private let writes: Bool
    private let recordsStats: Bool
    /// The pseudonyms' pool, whose cache slot for a client is asked for ahead.
    let pool: PseudonymizerPool
    /// The first write or key error: after it nothing more is done and the run fails.
    private(set) var failure: (any Error)?

    init(path: String, format: LogFormat, choice: PolicyChoice, pool: PseudonymizerPool, onReject: RejectHandling = .drop,
         writes: Bool = true, recordsStats: Bool = false, now: Int64 = Int64(Date().timeIntervalSince1970)) {
        anonymizer = LineAnonymizer(format: format, compiled: choice.set.compiled, pool: pool)
        resolver = PolicyResolver(choice: choice)
        self.onReject = onReject
        self.now = now
        self.format = format
        self.writes = writes
        self.recordsStats = recordsStats
        self.pool = pool
        report = PassFileReport(path: path, policyCount: choice.set.policies.count)
    }

    var keepsBatchBytes: Bool { recordsStats }

    @inline(__always)
    mutating func prefetch(for record: inout LogRecord) {
        if let address = record.clientIP { pool.prefetch(address) }
    }

    /// A line anonymized straight into its batch's buffer `out` (newline included), or only counted.
    mutating func handle(_ record: inout LogRecord, line: Span<UInt8>, inBatch range: Range<Int>, at position: LinePosition,
                         appendingTo out: inout LineBuffer) {
        guard let (policyIndex, epoch) = tally(record, line: line, inBatch: range) else { return }
        guard writes else {
            report.written += 1
            return
        }
        do {
            try anonymizer.anonymize(record, line: line, policyIndex: policyIndex, epoch: epoch, appendingTo: &out)
            out.append(UInt8(ascii: "\n"))
            report.written += 1
        } catch {
            failure = error
        }
    }

    /// Resolves a parsed line's policy and counts it (report, statistics); nil once the pass has failed.
    private mutating func tally(_ record: borrowing LogRecord, line: Span<UInt8>, inBatch range: Range<Int>) -> (policyIndex: Int, epoch: Int64)? {
        guard failure == nil else { return nil }
        let epoch = record.timestamp?.epochSeconds ?? now
        if let timestamp = record.timestamp { report.noteTimestamp(timestamp.epochSeconds) }
        let resolution = resolver.resolve(record, line: line, epoch: epoch)
        report.linesByPolicy[resolution.index] += 1
        if resolution.unknownSite { report.noteUnknownSite(resolution.site) }
        statsBatch?.add(record, inBatch: range, policyIndex: resolution.index, epoch: epoch, site: resolution.site)
        return (resolution.index, epoch)
    }

    /// A rejected line: with `--on-reject scrub`, its scrubbed form goes into the batch's buffer `out`.
    mutating func reject(_ reason: RejectReason, line: Span<UInt8>?, at position: LinePosition, appendingTo out: inout LineBuffer) {
        guard let scrubbed = countRejection(reason, line: line, at: position) else { return }
        out.append(contentsOf: scrubbed)
        out.append(UInt8(ascii: "\n"))
        report.scrubbed += 1
    }

    /// Counts a rejected line; returns its scrubbed form when one is to be written.
    private mutating func countRejection(_ reason: RejectReason, line: Span<UInt8>?, at position: LinePosition) -> [UInt8]? {
        report.rejections.add(reason, line: position.number)
        if report.mismatch == nil, let line {
            if diagnosis == nil { diagnosis = FormatDiagnosis(format: format) }
            report.mismatch = diagnosis!.mismatch(line, number: position.number)
        }
        statsBatch?.reject()
        guard failure == nil, onReject == .scrub, writes, let line else { return nil }
        return LineScrubber.scrub(line)
    }

    mutating func beginBatch(lines: Int) {
        statsBatch = recordsStats ? StatsBatch(capacity: lines) : nil
    }

    /// The batch's rejections and statistics fields, leaving the report's tally empty for the next batch.
    mutating func endBatch() -> BatchResult {
        defer {
            statsBatch = nil
            report.rejections = RejectionTally()
        }
        return BatchResult(rejections: report.rejections, stats: statsBatch)
    }

    func finished(with outcome: ScanOutcome) -> PassFileReport {
        var result = report
        result.lines = outcome.lines
        result.fieldsChanged = anonymizer.counts
        result.error = outcome.error
        return result
    }
}
