import ArgumentParser
import Foundation
import LogWard

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Read logs and report what parses: lines, rejections by reason, time range, sites.",
        discussion: """
            Reads gzip (also multi-member), plain files or stdin (-), detected by content. Rejected lines are \
            named by line number, never quoted. Exits 3 if an input is unreadable or corrupt (lines before the \
            damage are still counted), 1 if rejected lines exceed --max-reject-rate, else 0.

            Example: logward check --format combined /var/log/apache2/access.log.*.gz
            """
    )

    @OptionGroup var input: InputOptions

    @Flag(name: .long, help: "Print the report as JSON.")
    var json = false

    func run() throws {
        let options = try input.scanOptions()
        let progress = ProgressLine()
        var checks: [FileCheck] = []
        for path in input.files {
            // --threads N: batches of lines are parsed on N workers (the same report as one thread).
            let check = try FileChecker.check(path: path, options: options, workers: input.threads) { offset in
                progress.update("\(path): \(offset / 1_048_576) MiB read")
            }
            progress.clear()
            checks.append(check)
        }
        let report = CheckReport(files: checks)
        print(json ? try report.json() : report.text, terminator: "")
        for file in report.unreadableFiles {
            StandardError.write("logward: \(file.error!)\n")
        }
        if !report.unreadableFiles.isEmpty { throw ExitCode(ExitStatus.unreadableInput.rawValue) }
        let total = report.total
        if input.tooManyRejected(total.rejected, of: total.lines) { throw ExitCode(ExitStatus.violations.rawValue) }
    }
}
