import LogWardReport
/// Decides, from the ledger, the rules and the key store, what retention must do at an instant: each file is
/// aged by its oldest line (no line outlives its window) and judged by the strictest window among the policies that
/// governed its lines.
public struct RetentionPlanner {
    public let archive: Archive
    public let policies: PolicySet
    public let keys: KeyStore?
    public let now: Int64

    public init(archive: Archive, policies: PolicySet, keys: KeyStore?, now: Int64) {
        self.archive = archive
        self.policies = policies
        self.keys = keys
        self.now = now
    }

    package static let day: Int64 = 86_400

    /// The windows that bind a file: the shortest of its policies' (an unknown id counts as the default policy).
    func windows(_ ids: [String]) -> Policy.Retention { Self.windows(ids, in: policies) }

    package static func windows(_ ids: [String], in policies: PolicySet) -> Policy.Retention {
        let governing = ids.isEmpty ? [policies.policies[policies.defaultIndex]]
            : ids.map { policies.policy(id: $0) ?? policies.policies[policies.defaultIndex] }
        return Policy.Retention(rawDays: governing.map(\.retention.rawDays).min()!,
                                anonymizedDays: governing.map(\.retention.anonymizedDays).min()!,
                                keyDays: governing.map(\.retention.keyDays).min()!)
    }

    public func plan(files: [ArchivedFile]) -> [RetentionAction] {
        var fileActions: [RetentionAction] = []
        var remainingRaw: [ArchivedFile] = []
        // A path a link blocks is not "gone": its step is planned and then refused, never silently forgotten.
        let present = Set(files.filter { archive.isRegularFile($0.path) || (try? archive.absolutePath($0.path)) == nil }.map(\.path))
        let anonymizedInputs = Set(files.filter { $0.kind == .anonymized && present.contains($0.path) }.map(\.inputSHA256))
        for file in files {
            guard present.contains(file.path) else {
                fileActions.append(RetentionAction(kind: .forget, path: file.path, policies: file.policies,
                                                   reason: "the file is no longer in the archive; its ledger entry is removed"))
                continue
            }
            let window = windows(file.policies)
            let age = now - file.oldestEpoch
            let ageText = "oldest line \(Timestamp.day(file.oldestEpoch)), \(age / Self.day) days old"
            switch file.kind {
            case .raw:
                if age >= Int64(window.anonymizedDays) * Self.day {
                    fileActions.append(RetentionAction(kind: .deleteRaw, path: file.path, policies: file.policies,
                        reason: "\(ageText): past the raw window (\(window.rawDays) days) and the anonymized window (\(window.anonymizedDays) days)"))
                } else if age >= Int64(window.rawDays) * Self.day {
                    if anonymizedInputs.contains(file.inputSHA256) {
                        fileActions.append(RetentionAction(kind: .deleteRaw, path: file.path, policies: file.policies,
                            reason: "\(ageText): raw window of \(window.rawDays) days ended; its anonymized copy is in the archive"))
                    } else {
                        fileActions.append(RetentionAction(kind: .rewriteRaw, path: file.path, policies: file.policies,
                            reason: "\(ageText): raw window of \(window.rawDays) days ended; no anonymized copy yet"))
                    }
                } else {
                    remainingRaw.append(file)
                }
            case .anonymized:
                if age >= Int64(window.anonymizedDays) * Self.day {
                    fileActions.append(RetentionAction(kind: .deleteAnonymized, path: file.path, policies: file.policies,
                        reason: "\(ageText): anonymized window of \(window.anonymizedDays) days ended"))
                }
            }
        }
        // Rewrites need their keys: every file step comes before any key is destroyed.
        let ordered = fileActions.filter { $0.kind == .rewriteRaw } + fileActions.filter { $0.kind != .rewriteRaw }
        return ordered + keyActions(remainingRaw: remainingRaw)
    }

    /// Keys whose period plus `key_days` has passed and that no raw file kept after this plan still needs.
    package func keyActions(remainingRaw: [ArchivedFile]) -> [RetentionAction] {
        guard let keys else { return [] }
        var actions: [RetentionAction] = []
        for policy in policies.policies {
            for period in keys.periods(policy: policy.id) {
                guard let startDay = RulesLoader.parseDay(period) else { continue }
                let start = startDay * Self.day
                let end = start + Int64(policy.keyPeriodDays) * Self.day
                let destroyAt = end + Int64(policy.retention.keyDays) * Self.day
                guard now >= destroyAt else { continue }
                let needed = remainingRaw.contains { file in
                    file.policies.contains(policy.id) && (file.firstEpoch ?? file.ageEpoch) < end && file.ageEpoch >= start
                }
                guard !needed else { continue }
                actions.append(RetentionAction(kind: .destroyKey, path: "keys/\(policy.id)/\(period).key", policies: [policy.id],
                    reason: "key period \(period) (+\(policy.keyPeriodDays) days) ended \(Timestamp.day(end)); key_days \(policy.retention.keyDays) passed; no raw data needs it"))
            }
        }
        return actions
    }
}
