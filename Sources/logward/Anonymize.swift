import ArgumentParser
import Foundation
import LogWard

struct Anonymize: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write logs back in their own format with every field rewritten by its site's privacy policy.",
        discussion: """
            Each line is governed by the policy version of its site (from %v / $host, or --site) in force at the \
            line's timestamp; --policy forces one version for every line. A line that does not parse is never \
            written raw: it is dropped and counted, or with --on-reject scrub written with identifying tokens \
            replaced. A file output (-o) is written to a temporary file, fsynced and renamed; .gz compresses. \
            With stdin as a pipe, each line is written and flushed as it arrives.

            Examples:
              logward anonymize --site music123.com --keys /var/lib/logward/keys access.log.gz -o anon.log.gz
              CustomLog "|$/usr/local/bin/logward anonymize --policy music123-2003 --keys /var/lib/logward/keys --quiet - >> /var/log/apache2/anon.log" combined

            The report goes to stderr (or --report FILE as JSON). Exit 0; 1 when rejected lines exceed \
            --max-reject-rate; 2 for bad options, rules or key store permissions; 3 for unreadable input or output.
            """
    )

    @OptionGroup var input: InputOptions
    @OptionGroup var policyOptions: PolicyOptions
    @OptionGroup(title: "Statistics (computed in the same pass)") var statsOptions: StatsOptions

    @Option(name: [.short, .long], help: "Output file (.gz compresses); - or none writes to stdout.")
    var output: String?

    @Option(name: .customLong("on-reject"), help: "drop: leave unparsable lines out; scrub: write them with identifiers replaced.")
    var onReject = RejectHandling.drop

    @Option(name: .customLong("compress-level"), help: "gzip level 1-9 for .gz output (zlib's scale; with --codec isal, 1-2 is igzip level 0, 3-4 level 1, 5-7 level 2, 8-9 level 3).")
    var compressLevel = 6


    @Option(name: .long, help: "Also write the report as JSON to this file.")
    var report: String?

    @Flag(name: .long, help: "Print no report on stderr.")
    var quiet = false

    func validate() throws {
        guard (1...9).contains(compressLevel) else { throw ValidationError("--compress-level must be 1 to 9") }
    }

    func run() throws {
        let settings = try policyOptions.loadedConfig()
        var options = try input.scanOptions(config: settings)
        var sinks = statsOptions.sinks
        // `--stats` with a config: the config's sinks.
        if statsOptions.stats, statsOptions.sinksNamed == false, let configured = settings?.stats { sinks = configured }
        if let top = statsOptions.prometheusTop { sinks.prometheusTop = top }
        if !sinks.isEmpty { try input.requireTime(config: settings) }
        try OutputCollision.check(outputs: [("-o", output ?? "-"), ("--report", report ?? "-")] + sinks.outputFiles,
                                  inputs: input.files + policyOptions.readFiles(config: settings))
        let (choice, pool, _) = try policyOptions.prepare(statistics: !sinks.isEmpty, config: settings, files: input.files)
        let piped = input.files == ["-"] && StandardStreams.stdinIsPipe
        var outputOptions = LogOutput.Options()
        outputOptions.compressionLevel = Int32(compressLevel)
        outputOptions.codec = input.codec
        outputOptions.lineBuffered = piped
        if piped { options.readAhead = false }
        let out = try LogOutput(path: output, options: outputOptions)

        var runner = PassRunner(scan: options, choice: choice, pool: pool)
        runner.onReject = onReject
        // --threads N: batches of lines are anonymized on N workers (output identical to one thread).
        runner.workers = input.threads
        runner.maximumRejectRate = input.maximumRejectRate
        if !sinks.isEmpty {
            runner.statsSinks = sinks
            runner.timeZone = statsOptions.statsTimeZone(config: settings)
            runner.replaceStats = statsOptions.replace
        }
        let result: PassRunner.Result
        let progress = ProgressLine()
        runner.progress = progress.reading
        do {
            result = try runner.run(files: input.files, output: out)
            progress.clear()
        } catch {
            progress.clear()
            out.discard()
            throw error
        }
        let reports = result.files
        let summary = PassReport(files: reports, policyIDs: choice.set.policies.map(\.id), output: output ?? "-",
                                      keysUsed: result.keysUsed, stats: result.stats)
        let inputError = reports.compactMap(\.error).first
        if inputError != nil {
            out.discard()
        } else {
            try out.commit()
        }
        if !quiet { StandardError.write(summary.text) }
        if !quiet && result.withheldSiteDays > 0 {
            StandardError.write("statistics exports: \(result.withheldSiteDays) external site-day(s) withheld whole (fewer than k distinct visitors)\n")
        }
        if let report { try AtomicFile.write(try summary.json(), to: report) }
        if let inputError {
            StandardError.write("logward: \(inputError); no output written\n")
            throw ExitCode(ExitStatus.unreadableInput.rawValue)
        }
        if input.tooManyRejected(summary.totalRejected, of: summary.totalLines) { throw ExitCode(ExitStatus.violations.rawValue) }
    }
}
