import LogWardReport
/// One input anonymized into the archive's staging folder, in the one pass that also feeds its statistics
/// (the nightly job) or not (a retention rewrite). The staged file is verified by reading it back; moving it
/// into place is the caller's step.
package struct ArchivePass {
    package struct Product {
        package var report: PassFileReport
        package var inputSHA256: String
        package var staging: String
        package var verified: ArchiveVerifier.Verified
        package var stats: StatsStore.Outcome?
        /// Ids of the policy versions that governed its lines.
        package var policies: [String]
    }

    var policies: PolicySet
    var keys: KeyStore
    var format: LogFormat
    package var site: String?
    package var forcedPolicy: String?
    package var onReject: RejectHandling = .drop
    package var threads = 2
    package var compressionLevel: Int32 = 6
    package var codec = GzipCodec.preferred
    package var maximumLineLength = LineSplitter.defaultMaximumLineLength
    /// Over this rejected share the pass fails with `RejectRateExceeded` and stages nothing.
    package var maximumRejectRate: Double = 1
    /// Count the input's statistics again (replacing its rows) even if its content is stored.
    package var replaceStats = false
    /// Statistics go to this database, stored under the input's SHA-256 (nil: none).
    package var statsDatabase: String?
    package var timeZone: StatsTimeZone = .utc
    package var progress: ((String, Int64) -> Void)?

    package init(policies: PolicySet, keys: KeyStore, format: LogFormat) {
        self.policies = policies
        self.keys = keys
        self.format = format
    }

    /// Writes `staging` (gzip when it ends in .gz) and returns the product, or throws: an input that cannot be
    /// read to its end leaves nothing staged.
    package func run(input path: String, staging: String) throws -> Product {
        let choice = try PolicyChoice(set: policies, forcedPolicy: forcedPolicy, site: site)
        var scan = ScanOptions(format: format, maximumLineLength: maximumLineLength, readAhead: threads >= 2)
        scan.identifyInputs = true
        scan.codec = codec
        var runner = PassRunner(scan: scan, choice: choice, pool: PseudonymizerPool(keys: keys))
        runner.onReject = onReject
        runner.workers = threads
        runner.timeZone = timeZone
        runner.maximumRejectRate = maximumRejectRate
        runner.replaceStats = replaceStats
        if let statsDatabase { runner.statsSinks = StatsSinks(sqlite: statsDatabase) }
        runner.progress = progress
        var options = LogOutput.Options()
        options.compressionLevel = compressionLevel
        options.codec = codec
        let output = try LogOutput(path: staging, options: options)
        let result: PassRunner.Result
        do {
            result = try runner.run(files: [path], output: output)
        } catch {
            output.discard()
            throw error
        }
        let report = result.files[0]
        if let error = report.error {
            output.discard()
            throw error
        }
        if report.lines > 0, Double(report.rejected) / Double(report.lines) > maximumRejectRate {
            output.discard()
            throw RejectRateExceeded(path: path, rejected: report.rejected, lines: report.lines, limit: maximumRejectRate,
                                     inputSHA256: result.digests.first ?? "",
                                     policies: policies.countsByID(report.linesByPolicy).keys.sorted(), newestEpoch: report.lastEpoch)
        }
        // A pass that returns without an error has read the input to its end and knows its content.
        guard let digest = result.digests.first, !digest.isEmpty else {
            output.discard()
            throw InputError.readFailed(path: path, reason: "the input's content could not be identified")
        }
        do {
            try output.commit()
            let verified = try ArchiveVerifier.verify(staging)
            guard verified.lines == report.written + report.scrubbed else {
                throw OutputError(path: staging, reason: "read back \(verified.lines) lines, wrote \(report.written + report.scrubbed)")
            }
            let ids = policies.countsByID(report.linesByPolicy).keys.sorted()
            return Product(report: report, inputSHA256: result.digests[0], staging: staging, verified: verified,
                           stats: result.stats.first ?? nil, policies: ids)
        } catch {
            unlink(staging)
            throw error
        }
    }
}
