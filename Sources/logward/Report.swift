import ArgumentParser
import Foundation
import LogWard

struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write the HTML report of a statistics database: one self-contained file to open in any browser.",
        discussion: """
            Per site: requests, visitors and visits per day, requests by hour, response times, and the top paths, \
            404s, referring sites, status codes, browsers, operating systems and crawlers. Inline CSS and SVG charts \
            drawn by logward, no script, and a Content-Security-Policy that forbids every fetch: opening it contacts \
            no one. Sites whose policy lets third parties see aggregates go to FILE with rows seen by fewer than k \
            visitors folded into (other), as in every export; internal sites go to FILE's `.internal` sibling \
            (report.internal.html), written only when there are such sites. `stats --html FILE` and `report:` under \
            `stats:` in a run config write the same file after counting.

            Example: logward report --sqlite archive/stats.sqlite --html /var/www/stats/report.html
            Exit 0; 2 bad options; 3 the database cannot be read or the report cannot be written.
            """
    )

    @Option(name: .long, help: "The statistics database to read.")
    var sqlite = "stats.sqlite"

    @Option(name: .long, help: "The HTML file to write (atomically, 0600).")
    var html: String

    @Option(name: .long, help: "Only these sites (repeatable). Default: every site in the database.")
    var site: [String] = []

    @Option(name: .long, help: "Rows per table; the rest are summed into one line.")
    var top = HTMLReport.defaultTop

    func validate() throws {
        if !(1...1000).contains(top) { throw ValidationError("--top must be 1 to 1000") }
    }

    func run() throws {
        guard FileManager.default.isReadableFile(atPath: sqlite) else {
            throw InputError.cannotOpen(path: sqlite, reason: "no such readable statistics database")
        }
        try OutputCollision.check(outputs: [("--html", html)], inputs: [sqlite])
        let store = try StatsStore(path: sqlite)
        var sinks = StatsSinks(sqlite: sqlite)
        sinks.html = html
        sinks.htmlTop = top
        if !site.isEmpty { sinks.exportSites = Set(site.map { $0.lowercased() }) }
        let withheld = try sinks.export(from: store)
        print("logward report: wrote \(html)" + (withheld > 0 ? " (\(withheld) site-day(s) withheld under k)" : ""))
    }
}
