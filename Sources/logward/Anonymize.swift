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
              CustomLog "|/usr/local/bin/logward anonymize --policy music123-2003 --keys /var/lib/logward/keys -o - -" combined

            The report goes to stderr (or --report FILE as JSON). Exit 0; 1 when rejected lines exceed \
            --max-reject-rate; 2 for bad options, rules or key store permissions; 3 for unreadable input or output.
            """
    )

    @OptionGroup var input: InputOptions
    @OptionGroup var rulesOptions: RulesOptions

    @Option(name: .long, help: "Policy version (id) that governs every line, e.g. music123-2003.")
    var policy: String?

    @Option(name: .long, help: "Site host name of lines whose format has no virtual-host field.")
    var site: String?

    @Option(name: .long, help: "Pseudonym key store directory (0700; created if missing).")
    var keys = KeyStoreLocation.defaultPath

    @Option(name: [.short, .long], help: "Output file (.gz compresses); - or none writes to stdout.")
    var output: String?

    @Option(name: .customLong("on-reject"), help: "drop: leave unparsable lines out; scrub: write them with identifiers replaced.")
    var onReject = "drop"

    @Option(name: .customLong("compress-level"), help: "gzip level 1-9 for .gz output.")
    var compressLevel = 6

    @Option(name: .customLong("max-reject-rate"), help: "Exit 1 when more than this fraction of lines is rejected.")
    var maximumRejectRate = 0.05

    @Option(name: .long, help: "Also write the report as JSON to this file.")
    var report: String?

    @Flag(name: .long, help: "Print no report on stderr.")
    var quiet = false

    @Argument(help: "Log files (gzip or plain); - reads stdin.")
    var files: [String] = []

    func validate() throws {
        guard !files.isEmpty else { throw ValidationError("name at least one log file, or - for stdin") }
        guard RejectHandling(rawValue: onReject) != nil else { throw ValidationError("--on-reject must be drop or scrub") }
        guard (1...9).contains(compressLevel) else { throw ValidationError("--compress-level must be 1 to 9") }
        guard (0...1).contains(maximumRejectRate) else { throw ValidationError("--max-reject-rate must be between 0 and 1") }
    }

    func run() throws {
        var options = try input.scanOptions()
        let set = try rulesOptions.load()
        let choice: PolicyChoice
        do {
            choice = try PolicyChoice(set: set, forcedPolicy: policy, site: site)
        } catch let error as RulesError {
            throw ValidationError("\(error)")
        }
        let needsKeys = set.policies.contains { policy in FieldClass.allCases.contains { policy.action($0) == .hash } }
        let keyStore: KeyStore?
        do {
            keyStore = needsKeys ? try KeyStore(directory: keys) : nil
        } catch let error as KeyStoreError {
            throw ValidationError("\(error)")
        }
        let pool = PseudonymizerPool(keys: keyStore)
        let piped = files == ["-"] && StandardStreams.stdinIsPipe
        var outputOptions = LogOutput.Options()
        outputOptions.compressionLevel = Int32(compressLevel)
        outputOptions.lineBuffered = piped
        if piped { options.readAhead = false }
        let out = try LogOutput(path: output, options: outputOptions)

        var reports: [AnonymizeFileReport] = []
        for path in files {
            var handler = AnonymizingHandler(path: path, format: options.format, choice: choice, pool: pool,
                                             output: out, onReject: RejectHandling(rawValue: onReject)!)
            let outcome = LogScanner.scan(path: path, options: options, handler: &handler)
            if let failure = handler.failure {
                out.discard()
                throw failure
            }
            reports.append(handler.finished(with: outcome))
        }
        let summary = AnonymizeReport(files: reports, policyIDs: set.policies.map(\.id), output: output ?? "-",
                                      keysUsed: pool.keysUsed.sorted())
        let inputError = reports.compactMap(\.error).first
        if inputError != nil {
            out.discard()
        } else {
            try out.commit()
        }
        if !quiet { StandardError.write(summary.text) }
        if let report { try Data(try summary.json().utf8).write(to: URL(fileURLWithPath: report)) }
        if let inputError {
            StandardError.write("logward: \(inputError); no output written\n")
            throw ExitCode(ExitStatus.unreadableInput.rawValue)
        }
        let lines = summary.totalLines
        if lines > 0 && Double(summary.totalRejected) / Double(lines) > maximumRejectRate {
            throw ExitCode(ExitStatus.violations.rawValue)
        }
    }
}
