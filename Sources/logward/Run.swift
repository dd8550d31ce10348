import ArgumentParser
import Foundation
import LogWard

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The nightly job: anonymize and count new rotated logs into the archive, enforce retention, report.",
        discussion: """
            Under a lock on the archive (a second run exits 4 at once), every input file the ledger does not know \
            (by path, size and SHA-256: renamed rotations are recognized) is read once: its anonymized copy goes to \
            archive/anon/<site>/YYYY/MM/DD/, its statistics to the SQLite store (and CSV/JSON/Prometheus), and with \
            keep_raw a raw copy to archive/raw/ when its policies allow a raw window. Then retention runs (see \
            'logward retain'). Every action is appended to archive/audit.jsonl; the run report is printed and \
            written as JSON to archive/reports/. Safe to kill at any moment: the next run finishes the job with \
            the same bytes and no double counts.

            Example (cron): 30 3 * * *  logward run --config /etc/logward/logward.yaml

            Exit 0; 1 rejected lines over max_reject_rate or a retention step failed; 2 config or rules error; \
            3 an input unreadable or corrupt (others still processed); 4 another run holds the lock. An input \
            that cannot be read to its end, or whose rejected lines are over max_reject_rate (a wrong format, most \
            often), is not recorded: nothing of it is archived or counted, and the next run tries it again. \
            --reprocess FILE processes a recorded input again on purpose; the audit trail says so.
            """
    )

    @Option(name: .long, help: "The job's YAML config (see fixtures/run/logward.yaml).")
    var config: String

    @OptionGroup var now: NowOption

    @Option(name: .long, help: "Also write the JSON run report here (it always goes to archive/reports/).")
    var report: String?

    @Flag(name: .long, help: "Print the JSON report on stdout instead of the summary.")
    var json = false

    @Option(name: .long, help: ArgumentHelp(
        "Process this input again though the ledger has it (repeatable): its statistics are replaced and its archive files rewritten.",
        valueName: "file"))
    var reprocess: [String] = []

    func run() throws {
        let settings = try RunConfig.load(path: config)
        var job = NightlyRun(config: settings, now: try now.epoch(), asOf: now.now)
        job.reprocess = Set(reprocess.map(NightlyRun.standardized))
        job.report = report
        let progress = ProgressLine()
        job.progress = progress.reading
        let result = try job.run()
        progress.clear()
        let text = try result.json()
        let stamp = result.started.replacingOccurrences(of: ":", with: "")
        let reports = Archive(root: settings.archive).reportsDirectory
        try? FileManager.default.createDirectory(atPath: reports, withIntermediateDirectories: true)
        // Two runs in one second (a re-run right after a kill) keep both reports.
        var name = reports + "/run-\(stamp).json"
        var attempt = 1
        while FileManager.default.fileExists(atPath: name) {
            attempt += 1
            name = reports + "/run-\(stamp)-\(attempt).json"
        }
        try AtomicFile.write(text, to: name)
        if let report { try AtomicFile.write(text, to: report) }
        print(json ? text : result.text, terminator: "")
        if result.exitStatus != 0 { throw ExitCode(result.exitStatus) }
    }
}
