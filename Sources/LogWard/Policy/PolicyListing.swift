import LogWardFormat
/// Human-readable views of policies for `logward policies` and `logward explain`.
public enum PolicyListing {
    public static func table(_ set: PolicySet) -> String {
        var out = "id                 announced   effective   audience  raw days  sites\n"
        for policy in set.policies.sorted(by: { ($0.sites.first ?? "~", $0.effectiveDay) < ($1.sites.first ?? "~", $1.effectiveDay) }) {
            let sites = policy.isDefault ? "(any site no rules file names)" : policy.sites.joined(separator: ", ")
            out += pad(policy.id, 19) + pad(policy.announcedDate ?? "-", 12) + pad(policy.effectiveDate, 12) + pad(policy.audience.rawValue, 10)
                + pad(String(policy.retention.rawDays), 10) + sites + "\n"
        }
        return out
    }

    public static func explain(_ policy: Policy) -> String {
        var out = "\(policy.id)"
        if !policy.source.isEmpty { out += " (\(policy.source))" }
        out += "\n  sites: \(policy.isDefault ? "any site no rules file names" : policy.sites.joined(separator: ", "))\n"
        out += "  in force from \(policy.effectiveDate) until a newer version of the same site takes effect"
        if let announced = policy.announcedDate { out += " (announced \(announced))" }
        out += "\n"
        if let notice = policy.notice {
            out += "  promises \(notice.description) of notice before a change"
            if let quote = policy.listQuotes["notice"] { out += ": \"\(quote)\"" }
            out += "\n"
        }
        out += "  raw logs kept \(policy.retention.rawDays) days, anonymized logs \(policy.retention.anonymizedDays) days, "
        out += "pseudonym keys \(policy.retention.keyDays) days after their period (period: \(policy.keyPeriodDays) day(s))\n"
        out += "  aggregates: \(policy.audience.rawValue)"
        if policy.audience == .external { out += ", rows seen by fewer than \(policy.kAnonymity) visitors folded into (other)" }
        out += "\n  fields:\n"
        for fieldClass in FieldClass.allCases {
            let rule = policy.rule(fieldClass)
            var line = "    " + pad(fieldClass.rawValue, 16) + pad(describe(rule.action, fieldClass, policy), 44)
            if let quote = rule.quote {
                line += "\"\(quote)\""
            } else if policy.fields[fieldClass] == nil {
                line += "(not in the rules file: dropped, failing closed)"
            }
            out += line + "\n"
        }
        if !policy.accountPathPatterns.isEmpty || !policy.accountQueryParameters.isEmpty {
            out += "  account ids: path segments \(policy.accountPathPatterns.map(\.source).joined(separator: " ")); "
            out += "query parameters \(policy.accountQueryParameters.joined(separator: " "))\n"
        }
        if policy.idShapedSegments { out += "  account ids: every path segment shaped like an id (digits, UUID, long hex) becomes :id\n" }
        out += "  headers: " + (policy.keptHeaders.isEmpty ? "none kept" : "kept: " + policy.keptHeaders.joined(separator: " "))
        if let quote = policy.listQuotes["headers"] { out += " \"\(quote)\"" }
        out += "; credentials (Authorization, cookies) never\n"
        if let kept = policy.keptQueryParameters {
            out += "  query values kept only for: \(kept.isEmpty ? "(none)" : kept.joined(separator: " "))"
            if let quote = policy.listQuotes["query_parameters"] { out += " \"\(quote)\"" }
            out += "; every other value becomes :value\n"
        }
        out += "  always, whatever the actions: addresses and e-mails found in any field; credential and session values "
        out += "(:secret), personal-data values and phone numbers (:personal), search terms in referrers (:search)\n"
        for counter in policy.counters {
            out += "  counter \(counter.name): \(counter.method ?? "any method") \(counter.path.source)\n"
        }
        return out
    }

    private static func describe(_ action: FieldAction, _ fieldClass: FieldClass, _ policy: Policy) -> String {
        switch (action, fieldClass) {
        case (.truncate, .clientAddress), (.truncate, .forwardedFor):
            return "truncate to /\(policy.ipv4Prefix) (IPv4), /\(policy.ipv6Prefix) (IPv6)"
        case (.truncate, .referrer): return "truncate to the origin (scheme://host/)"
        case (.hash, _): return "keyed hash (HMAC-SHA256, key per \(policy.keyPeriodDays) day)"
        default: return action.rawValue
        }
    }

    private static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
    }
}
