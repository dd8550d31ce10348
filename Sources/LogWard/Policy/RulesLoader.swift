import Foundation
import LogWardFormat
import Yams

/// Reads rules files (one YAML file per policy version, schema in rules/README.md) and checks them.
public enum RulesLoader {
    static let topLevelKeys: Set<String> = [
        "id", "sites", "source", "effective", "audience", "k_anonymity", "retention", "key_period_days",
        "truncate", "fields", "account_ids", "counters", "notes", "default", "headers", "query_parameters", "announced",
        "notice_days", "notice_business_days", "notice_quote",
    ]

    /// Every `*.yaml` / `*.yml` file in `directory`, as a checked policy set. A directory with none gives the
    /// built-in default policy alone (the strictest: every line of every site follows it).
    public static func load(directory: String) throws -> PolicySet {
        let url = URL(fileURLWithPath: directory)
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory)
        } catch {
            throw RulesError(file: directory, line: nil, "cannot read the rules directory (give --rules DIR or set LOGWARD_RULES)")
        }
        let files = names.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted()
        var policies: [Policy] = []
        for name in files {
            let path = url.appendingPathComponent(name).path
            guard let data = FileManager.default.contents(atPath: path) else {
                throw RulesError(file: path, line: nil, "cannot read the file")
            }
            policies.append(try parse(String(decoding: data, as: UTF8.self), file: path))
        }
        return try PolicySet(policies)
    }

    /// The rules files of a directory (none when it cannot be read): inputs no command may write over.
    public static func files(directory: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted().map { directory + "/" + $0 }
    }

    /// One rules file's text.
    public static func parse(_ text: String, file: String) throws -> Policy {
        let top = try YAMLMapping.document(text, file: file)
        try top.refuseUnknownKeys(topLevelKeys)

        let id = try top.string("id")
        guard id.range(of: #"^[a-z0-9][a-z0-9._-]*$"#, options: .regularExpression) != nil else {
            throw top.error(at: "id", "id '\(id)' must be lower-case letters, digits, '.', '_' or '-'")
        }
        let isDefault = try top.optionalBool("default") ?? false
        let sites = try top.optionalStrings("sites") ?? []
        if !isDefault && sites.isEmpty { throw top.error(at: "sites", "a policy names at least one site host name") }
        let effective = try top.string("effective")
        guard let effectiveDay = parseDay(effective) else {
            throw top.error(at: "effective", "effective date '\(effective)' is not YYYY-MM-DD")
        }
        let audienceText = try top.optionalString("audience") ?? "internal"
        guard let audience = Policy.Audience(rawValue: audienceText) else {
            throw top.error(at: "audience", "audience must be internal or external, not '\(audienceText)'")
        }
        let retention = try top.mapping("retention")
        try retention.refuseUnknownKeys(["raw_days", "anonymized_days", "key_days"])
        let truncate = try top.optionalMapping("truncate")
        try truncate?.refuseUnknownKeys(["ipv4_prefix", "ipv6_prefix"])
        let ipv4Prefix = try truncate?.optionalInt("ipv4_prefix", in: 0...32) ?? 24
        let ipv6Prefix = try truncate?.optionalInt("ipv6_prefix", in: 0...128) ?? 48

        let fieldsNode = try top.mapping("fields")
        var fields: [FieldClass: Policy.FieldRule] = [:]
        for key in fieldsNode.keys {
            guard let fieldClass = FieldClass(rawValue: key) else {
                throw fieldsNode.error(at: key, "unknown field '\(key)'; fields are \(FieldClass.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            let rule = try fieldsNode.mapping(key)
            try rule.refuseUnknownKeys(["action", "quote"])
            let actionText = try rule.string("action")
            guard let action = FieldAction(rawValue: actionText) else {
                throw rule.error(at: "action", "unknown action '\(actionText)'; actions are keep, drop, hash, truncate")
            }
            guard fieldClass.allowedActions.contains(action) else {
                throw rule.error(at: "action", "\(key) cannot be '\(actionText)'; allowed: \(fieldClass.allowedActions.map(\.rawValue).joined(separator: ", "))")
            }
            let quote = try rule.optionalString("quote")
            if quote == nil && !isDefault {
                throw rule.error(at: "action", "\(key): every rule cites the policy sentence it serves (quote:)")
            }
            fields[fieldClass] = Policy.FieldRule(action: action, quote: quote)
        }

        var patterns: [PathPattern] = []
        var parameters: [String] = []
        var idShapedSegments = false
        if let accounts = try top.optionalMapping("account_ids") {
            try accounts.refuseUnknownKeys(["path_segments", "query_parameters", "id_shaped_segments"])
            idShapedSegments = try accounts.optionalBool("id_shaped_segments") ?? false
            for text in try accounts.optionalStrings("path_segments") ?? [] {
                guard let pattern = PathPattern(text), pattern.hasIdentifier else {
                    throw accounts.error(at: "path_segments", "path pattern '\(text)' must start with / and mark a segment as {id}")
                }
                patterns.append(pattern)
            }
            parameters = try accounts.optionalStrings("query_parameters") ?? []
        }

        var listQuotes: [String: String] = [:]
        let keptHeaders = try keepList(top, "headers", isDefault: isDefault, quotes: &listQuotes)
        let keptQueryParameters = try keepList(top, "query_parameters", isDefault: isDefault, quotes: &listQuotes)

        var announcedDay: Int64?
        if let announced = try top.optionalString("announced") {
            guard let day = parseDay(announced) else {
                throw top.error(at: "announced", "announced date '\(announced)' is not YYYY-MM-DD")
            }
            guard day <= effectiveDay else {
                throw top.error(at: "announced", "announced \(announced) is after the version takes effect (\(effective))")
            }
            announcedDay = day
        }
        var notice: Policy.Notice?
        let noticeDays = try top.optionalInt("notice_days", in: 0...3_650)
        let noticeBusinessDays = try top.optionalInt("notice_business_days", in: 0...2_600)
        if noticeDays != nil && noticeBusinessDays != nil {
            throw top.error(at: "notice_days", "give notice_days or notice_business_days, not both")
        }
        if let days = noticeDays { notice = .days(days) }
        if let days = noticeBusinessDays { notice = .businessDays(days) }
        if let quote = try top.optionalString("notice_quote") {
            listQuotes["notice"] = quote
        } else if notice != nil && !isDefault {
            throw top.error(at: noticeDays != nil ? "notice_days" : "notice_business_days",
                            "a promised notice cites the policy sentence that makes it (notice_quote:)")
        }

        var counters: [CounterRule] = []
        if let list = try top.optionalSequence("counters") {
            for node in list {
                let counter = try YAMLMapping(node, file: file, what: "a counter")
                try counter.refuseUnknownKeys(["name", "method", "path"])
                let pathText = try counter.string("path")
                guard let path = PathPattern(pathText) else {
                    throw counter.error(at: "path", "counter path '\(pathText)' must start with /")
                }
                counters.append(CounterRule(name: try counter.string("name"), method: try counter.optionalString("method"), path: path))
            }
        }

        return Policy(
            id: id, sites: sites.map { $0.lowercased() }, source: try top.optionalString("source") ?? "",
            effectiveDay: effectiveDay, audience: audience,
            kAnonymity: try top.optionalInt("k_anonymity", in: 1...1_000_000) ?? 10,
            retention: Policy.Retention(
                rawDays: try retention.int("raw_days", in: 0...36_500),
                anonymizedDays: try retention.int("anonymized_days", in: 0...36_500),
                keyDays: try retention.int("key_days", in: 0...36_500)),
            keyPeriodDays: try top.optionalInt("key_period_days", in: 1...366) ?? 1,
            ipv4Prefix: ipv4Prefix, ipv6Prefix: ipv6Prefix, fields: fields,
            accountPathPatterns: patterns, accountQueryParameters: parameters.map { $0.lowercased() },
            counters: counters, file: file, isDefault: isDefault,
            keptHeaders: (keptHeaders ?? []).map(HeaderName.normalized), keptQueryParameters: keptQueryParameters?.map { $0.lowercased() },
            idShapedSegments: idShapedSegments, listQuotes: listQuotes, announcedDay: announcedDay, notice: notice)
    }

    /// `headers: {keep: [Accept-Language], quote: "..."}`: names a policy lets through, with the sentence that allows it.
    private static func keepList(_ top: YAMLMapping, _ key: String, isDefault: Bool, quotes: inout [String: String]) throws -> [String]? {
        guard let node = try top.optionalMapping(key) else { return nil }
        try node.refuseUnknownKeys(["keep", "quote"])
        let names = try node.optionalStrings("keep") ?? []
        if let quote = try node.optionalString("quote") {
            quotes[key] = quote
        } else if !isDefault {
            throw node.error(at: "keep", "\(key): a list of what is kept cites the policy sentence it serves (quote:)")
        }
        return names
    }

    /// An instant as `--now` takes it: `YYYY-MM-DD` (00:00 UTC) or `YYYY-MM-DDTHH:MM:SSZ`; nil for anything else.
    public static func parseInstant(_ text: String) -> Int64? {
        if let day = parseDay(text) { return day * 86_400 }
        guard text.count == 20, text.hasSuffix("Z"), let day = parseDay(String(text.prefix(10))),
              text[text.index(text.startIndex, offsetBy: 10)] == "T" else { return nil }
        let time = text.dropFirst(11).dropLast().split(separator: ":").compactMap { Int64($0) }
        guard time.count == 3, time[0] < 24, time[1] < 60, time[2] < 60 else { return nil }
        return day * 86_400 + time[0] * 3600 + time[1] * 60 + time[2]
    }


    /// `YYYY-MM-DD` as days since 1970-01-01.
    public static func parseDay(_ text: String) -> Int64? {
        let parts = text.split(separator: "-")
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let year = Int64(parts[0]), let month = Int64(parts[1]), let day = Int64(parts[2]),
              (1...12).contains(month), (1...31).contains(day) else { return nil }
        let days = Timestamp.days(fromCivil: year, month, day)
        // Reject 2021-02-30 and the like: the round trip must give the same date.
        let back = Timestamp.civil(fromDays: days)
        guard back.year == year, back.month == month, back.day == day else { return nil }
        return days
    }
}
