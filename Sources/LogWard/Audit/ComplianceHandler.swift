import LogWardJob
/// Reads one file for the audit: which policy versions govern its lines, its newest line, and every line that
/// still holds an identifier its policy's anonymized form must not.
struct ComplianceHandler: LineHandler {
    private var resolver: PolicyResolver
    private let checker: ComplianceChecker
    var findings = FindingTally()
    var linesByPolicy: [Int]
    var parsed = 0
    var rejected = 0
    var firstEpoch: Int64?
    var newestEpoch: Int64?

    init(choice: PolicyChoice) {
        resolver = PolicyResolver(choice: choice)
        checker = ComplianceChecker(compiled: choice.set.compiled)
        linesByPolicy = Array(repeating: 0, count: choice.set.policies.count)
    }

    mutating func handle(_ record: LogRecord, line: Span<UInt8>, at position: LinePosition) {
        parsed += 1
        let epoch = record.timestamp?.epochSeconds ?? 0
        if let epoch = record.timestamp?.epochSeconds {
            if firstEpoch.map({ epoch < $0 }) ?? true { firstEpoch = epoch }
            if newestEpoch.map({ epoch > $0 }) ?? true { newestEpoch = epoch }
        }
        let resolution = resolver.resolve(record, line: line, epoch: epoch)
        linesByPolicy[resolution.index] += 1
        for finding in checker.findings(record, line: line, policyIndex: resolution.index) {
            findings.add(finding, line: position.number)
        }
    }

    mutating func reject(_ reason: RejectReason, line: Span<UInt8>?, at position: LinePosition) {
        rejected += 1
        if let line, ComplianceChecker.unparsableFindings(line) { findings.add(.unparsableWithIdentifiers, line: position.number) }
    }
}
