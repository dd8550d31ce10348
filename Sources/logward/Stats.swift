import ArgumentParser
import Foundation
import LogWard

struct Stats: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Aggregate usage statistics per site and day into SQLite (default), CSV, JSON or a Prometheus textfile.",
        discussion: """
            Per site and day: requests, failed lines, bytes, page views, unique visitors (address + user agent, \
            as a keyed pseudonym), visits (30-minute gaps) and their duration, and breakdowns by status, method, \
            hour, path (account ids replaced, no query), 404 path, referrer domain, browser, OS, crawler and the \
            rules' named counters. Each file is identified by its SHA-256: counting it again changes nothing \
            (--replace recounts it, replacing its rows). External-audience policies fold rows seen by fewer than \
            k visitors into (other) in CSV, JSON and Prometheus output.

            Example: logward stats --site music123.com --sqlite /var/lib/logward/stats.sqlite access.log.1.gz
            """
    )

    @OptionGroup var input: InputOptions
    @OptionGroup var policyOptions: PolicyOptions
    @OptionGroup var statsOptions: StatsOptions

    @Flag(name: .long, help: "Print no report on stderr.")
    var quiet = false


    func run() throws {
        let settings = try policyOptions.loadedConfig()
        try input.requireTime(config: settings)
        let (choice, pool, _) = try policyOptions.prepare(statistics: true, config: settings, files: input.files)
        var sinks = statsOptions.sinks
        if sinks.isEmpty, let configured = settings?.stats { sinks = configured }
        if let top = statsOptions.prometheusTop { sinks.prometheusTop = top }
        // No sink at all: ./stats.sqlite. Exports named without --sqlite come from a store of this run alone
        // (temporary), so they never hold rows an earlier run left in ./stats.sqlite.
        if sinks.isEmpty { sinks.sqlite = StatsOptions.defaultDatabase }
        // An export for one site holds that site only, whatever else the database holds.
        if let site = policyOptions.site { sinks.exportSites = [site.lowercased()] }
        try OutputCollision.check(outputs: sinks.outputFiles, inputs: input.files + policyOptions.readFiles(config: settings))
        var runner = PassRunner(scan: try input.scanOptions(config: settings), choice: choice, pool: pool)
        runner.statsSinks = sinks
        runner.timeZone = statsOptions.statsTimeZone(config: settings)
        runner.replaceStats = statsOptions.replace
        // --threads N: N workers parse batches, one aggregator counts them in input order (the same numbers as one thread).
        runner.workers = input.threads
        runner.maximumRejectRate = input.maximumRejectRate
        let progress = ProgressLine()
        runner.progress = progress.reading
        let result = try runner.run(files: input.files, output: nil)
        progress.clear()
        let summary = PassReport(files: result.files, policyIDs: choice.set.policies.map(\.id), output: sinks.sqlite ?? "a temporary store (exports only)",
                                      keysUsed: result.keysUsed, stats: result.stats)
        if !quiet { StandardError.write(summary.text) }
        if !quiet && result.withheldSiteDays > 0 {
            StandardError.write("statistics exports: \(result.withheldSiteDays) external site-day(s) withheld whole (fewer than k distinct visitors)\n")
        }
        if let error = result.inputError {
            StandardError.write("logward: \(error); its statistics were not stored\n")
            throw ExitCode(ExitStatus.unreadableInput.rawValue)
        }
        if input.tooManyRejected(summary.totalRejected, of: summary.totalLines) { throw ExitCode(ExitStatus.violations.rawValue) }
    }
}
