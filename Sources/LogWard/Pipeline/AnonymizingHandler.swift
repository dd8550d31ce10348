import Foundation

/// The anonymize stage as a line handler: resolve the policy, rewrite the record, write it.
public struct AnonymizingHandler: LineHandler {
    private var anonymizer: LineAnonymizer
    private var resolver: PolicyResolver
    private let output: LogOutput
    private let onReject: RejectHandling
    private let now: Int64
    public private(set) var report: AnonymizeFileReport
    /// The first write or key error: after it nothing more is written and the run fails.
    public private(set) var failure: (any Error)?

    public init(path: String, format: LogFormat, choice: PolicyChoice, pool: PseudonymizerPool,
                output: LogOutput, onReject: RejectHandling, now: Int64 = Int64(Date().timeIntervalSince1970)) {
        anonymizer = LineAnonymizer(format: format, policies: choice.set.policies, pool: pool)
        resolver = PolicyResolver(choice: choice)
        self.output = output
        self.onReject = onReject
        self.now = now
        report = AnonymizeFileReport(path: path, policyCount: choice.set.policies.count)
    }

    public mutating func handle(_ record: LogRecord, line: UnsafeRawBufferPointer, at position: LinePosition) {
        guard failure == nil else { return }
        let epoch = record.timestamp?.epochSeconds ?? now
        let (policyIndex, unknownSite) = resolver.resolve(record, line: line, epoch: epoch)
        report.linesByPolicy[policyIndex] += 1
        if unknownSite { report.unknownSiteLines += 1 }
        do {
            let output = self.output
            try anonymizer.anonymize(record, line: line, policyIndex: policyIndex, epoch: epoch) { try output.writeLine($0) }
            report.written += 1
        } catch {
            failure = error
        }
    }

    public mutating func reject(_ reason: RejectReason, line: UnsafeRawBufferPointer?, at position: LinePosition) {
        report.rejections.add(reason, line: position.number)
        guard failure == nil, onReject == .scrub, let line else { return }
        do {
            let scrubbed = LineScrubber.scrub(line)
            try scrubbed.withUnsafeBytes { try output.writeLine($0) }
            report.scrubbed += 1
        } catch {
            failure = error
        }
    }

    public func finished(with outcome: ScanOutcome) -> AnonymizeFileReport {
        var result = report
        result.lines = outcome.lines
        result.fieldsChanged = anonymizer.counts
        result.error = outcome.error
        return result
    }
}
