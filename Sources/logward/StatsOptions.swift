import ArgumentParser
import LogWard

/// Where aggregate statistics go; shared by `stats` and `anonymize`.
struct StatsOptions: ParsableArguments {
    @Option(name: .long, help: "SQLite statistics database (created with its schema if missing).")
    var sqlite: String?

    @Option(name: .long, help: "Directory for daily.csv and breakdown.csv.")
    var csv: String?

    // `--json` is the JSON-report switch of check, run, retain and audit; a file option says so in its name.
    @Option(name: .customLong("json-file"), help: "JSON file with the daily totals and breakdowns, written atomically.")
    var json: String?

    @Option(name: .long, help: "Prometheus textfile (node_exporter's textfile collector), written atomically.")
    var prometheus: String?

    @Option(name: .long, help: "Self-contained HTML report (inline CSS and SVG charts, no script, no network), written atomically.")
    var html: String?

    @Option(name: .long, help: ArgumentHelp("PostgreSQL store: the SQLite store's tables copied there file by file, each in one transaction.", valueName: "url"))
    var postgres: String?

    @Option(name: .customLong("prometheus-top"), help: "Breakdown keys per site and dimension in the Prometheus textfile; the rest are summed into (other). Default: the config's, else 10.")
    var prometheusTop: Int?

    @Option(name: .long, help: "Time zone days and hours are counted in: UTC, +02:00, or an IANA name. Default: the config's, else UTC.")
    var timezone: String?

    @Flag(name: .long, help: "Count files again whose content is already in the database (replacing, never adding).")
    var replace = false

    @Flag(name: .long, help: "Compute statistics; into stats.sqlite unless another sink is named.")
    var stats = false

    static let defaultDatabase = "stats.sqlite"

    /// Whether any sink was named on the command line.
    var sinksNamed: Bool { sqlite != nil || csv != nil || json != nil || prometheus != nil || html != nil || postgres != nil }

    var sinks: StatsSinks {
        var sinks = StatsSinks(sqlite: sqlite, csvDirectory: csv, json: json, prometheus: prometheus)
        sinks.html = html
        sinks.postgres = postgres
        if stats && sinks.isEmpty { sinks.sqlite = Self.defaultDatabase }
        if let prometheusTop { sinks.prometheusTop = prometheusTop }
        return sinks
    }

    func validate() throws {
        if let timezone, StatsTimeZone(timezone) == nil { throw ValidationError("--timezone: unknown time zone '\(timezone)'") }
        if let prometheusTop, !(1...1000).contains(prometheusTop) { throw ValidationError("--prometheus-top must be 1 to 1000") }
    }

    func statsTimeZone(config: RunConfig? = nil) -> StatsTimeZone {
        timezone.flatMap(StatsTimeZone.init) ?? config?.timeZone ?? .utc
    }
}
