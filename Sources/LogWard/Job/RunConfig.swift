import Foundation
import LogWardRetention
/// The nightly job's configuration (`logward run --config FILE`): where rotated logs are, how to read them,
/// which site they belong to, and where the archive, keys and statistics live. Relative paths are relative to
/// the config file's directory, so a config and its files can move together.
public struct RunConfig: Sendable {
    /// One group of input files sharing a format and a site.
    public struct Input: Sendable {
        /// Glob patterns (`*`, `?`, `[...]` in the last path component), e.g. `/var/log/apache2/access.log.*.gz`.
        public var patterns: [String]
        public var format: LogFormat
        /// Site of lines without a virtual host (`--site`); nil when the format has `%v` / `$host`.
        public var site: String?
        /// A policy version that governs every line of these files (`--policy`); rarely needed.
        public var policy: String?
        /// The folder under `archive/raw` and `archive/anon`: the site, or `vhosts` for multi-site files.
        public var label: String
    }

    public var file: String
    public var rulesDirectory: String
    public var archive: String
    public var keys: String
    public var inputs: [Input]
    /// Copy each raw file into `archive/raw` when every policy governing its lines has a raw window.
    public var keepRaw: Bool
    public var onReject: RejectHandling
    public var maximumRejectRate: Double
    public var timeZone: StatsTimeZone
    public var threads: Int
    public var compressionLevel: Int32
    /// What inflates and deflates gzip (`codec: isal|zlib`).
    public var codec: GzipCodec
    public var maximumLineLength: Int
    public var stats: StatsSinks

    /// The input group whose patterns match every one of `files` (or the only group), so `anonymize` and
    /// `stats` with `--config` read a rotated file with its group's format and site.
    public func input(for files: [String]) -> Input? {
        if inputs.count == 1 { return inputs[0] }
        let absolute = files.map { $0.hasPrefix("/") ? $0 : FileManager.default.currentDirectoryPath + "/" + $0 }
        let matching = inputs.filter { input in
            absolute.allSatisfy { file in input.patterns.contains { fnmatch($0, URL(fileURLWithPath: file).standardizedFileURL.path, 0) == 0 } }
        }
        return matching.count == 1 ? matching[0] : nil
    }

    static let topLevelKeys: Set<String> = [
        "rules", "archive", "keys", "inputs", "keep_raw", "on_reject", "max_reject_rate", "timezone", "threads",
        "compress_level", "codec", "max_line_length", "stats",
    ]

    /// Reads and checks a config file; errors name the file, line and reason (exit 2).
    public static func load(path: String) throws -> RunConfig {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw RulesError(file: path, line: nil, "cannot read the config file")
        }
        return try parse(String(decoding: data, as: UTF8.self), file: path)
    }

    public static func parse(_ text: String, file: String) throws -> RunConfig {
        let top = try YAMLMapping.document(text, file: file)
        try top.refuseUnknownKeys(topLevelKeys)
        let base = URL(fileURLWithPath: file).deletingLastPathComponent()
        func resolve(_ path: String) -> String {
            path.hasPrefix("/") ? path : base.appendingPathComponent(path).standardizedFileURL.path
        }
        let archive = resolve(try top.string("archive"))
        var inputs: [Input] = []
        guard let inputNodes = try top.optionalSequence("inputs"), !inputNodes.isEmpty else {
            throw top.error(at: "inputs", "name at least one input: - {paths: [/var/log/apache2/access.log.*.gz], site: example.com}")
        }
        for node in inputNodes {
            let input = try YAMLMapping(node, file: file, what: "an input")
            try input.refuseUnknownKeys(["paths", "format", "site", "policy", "label"])
            guard let patterns = try input.optionalStringOrStrings("paths"), !patterns.isEmpty else {
                throw input.error(at: "paths", "an input names its files: paths: [/var/log/apache2/access.log.*.gz]")
            }
            let formatText = try input.optionalString("format") ?? "combined"
            let format: LogFormat
            do {
                format = try LogFormat(formatText)
            } catch {
                throw input.error(at: "format", "format: \(error)")
            }
            guard format.hasTime else {
                throw input.error(at: "format", "format: it has no time field (%t, %{...}t, $time_local, $time_iso8601, $msec): "
                                  + "the job dates each line for its statistics and retention")
            }
            let site = try input.optionalString("site")?.lowercased()
            let label = try input.optionalString("label") ?? site ?? "vhosts"
            guard label.range(of: #"^[A-Za-z0-9][A-Za-z0-9._-]*$"#, options: .regularExpression) != nil else {
                throw input.error(at: "label", "label '\(label)' must be a plain folder name (letters, digits, '.', '_', '-')")
            }
            inputs.append(Input(patterns: patterns.map(resolve), format: format, site: site,
                                policy: try input.optionalString("policy"), label: label))
        }
        let onRejectText = try top.optionalString("on_reject") ?? "drop"
        guard let onReject = RejectHandling(rawValue: onRejectText) else {
            throw top.error(at: "on_reject", "on_reject must be drop or scrub")
        }
        let codecText = try top.optionalString("codec") ?? GzipCodec.preferred.rawValue
        guard let codec = GzipCodec(rawValue: codecText) else { throw top.error(at: "codec", "codec must be isal or zlib") }
        let zoneText = try top.optionalString("timezone") ?? "UTC"
        guard let timeZone = StatsTimeZone(zoneText) else { throw top.error(at: "timezone", "unknown time zone '\(zoneText)'") }
        var stats = StatsSinks(sqlite: archive + "/stats.sqlite")
        if let sinks = try top.optionalMapping("stats") {
            try sinks.refuseUnknownKeys(["sqlite", "csv", "json", "prometheus", "prometheus_top", "report", "postgres"])
            stats.sqlite = try sinks.optionalString("sqlite").map(resolve) ?? stats.sqlite
            stats.csvDirectory = try sinks.optionalString("csv").map(resolve)
            stats.json = try sinks.optionalString("json").map(resolve)
            stats.prometheus = try sinks.optionalString("prometheus").map(resolve)
            stats.prometheusTop = try sinks.optionalInt("prometheus_top", in: 1...1000) ?? PrometheusTextfile.defaultTop
            stats.html = try sinks.optionalString("report").map(resolve)
            stats.postgres = try sinks.optionalString("postgres")
        }
        return RunConfig(
            file: file,
            rulesDirectory: resolve(try top.optionalString("rules") ?? "rules"),
            archive: archive,
            keys: try top.optionalString("keys").map(resolve) ?? archive + "/keys",
            inputs: inputs,
            keepRaw: try top.optionalBool("keep_raw") ?? false,
            onReject: onReject,
            maximumRejectRate: try top.optionalDouble("max_reject_rate", in: 0...1) ?? 0.05,
            timeZone: timeZone,
            threads: try top.optionalInt("threads", in: 1...64) ?? 2,
            compressionLevel: Int32(try top.optionalInt("compress_level", in: 1...9) ?? 6),
            codec: codec,
            maximumLineLength: try top.optionalInt("max_line_length", in: 1...(1 << 30)) ?? LineSplitter.defaultMaximumLineLength,
            stats: stats)
    }
}
