import LogWardPolicy
/// Named points where the kill-safety tests stop the process as `kill -9` would: with
/// `LOGWARD_CRASH_AT=<name>` set, reaching that point sends SIGKILL to itself. Unset, it costs one lookup.
package enum CrashPoint: String {
    /// The anonymized file is staged and verified, not yet in place.
    case staged = "staged"
    /// The anonymized file is in place; the raw copy, statistics and ledger are not.
    case anonymizedInPlace = "anonymized-in-place"
    /// Archive files in place, statistics stored; the ledger does not know the input yet.
    case beforeLedger = "before-ledger"
    /// The input is in the ledger; retention has not run.
    case beforeRetention = "before-retention"
    /// In retention, after the first step.
    case afterFirstRetentionStep = "after-first-retention-step"
    /// In a raw rewrite: the anonymized file staged and verified.
    case rewriteStaged = "rewrite-staged"
    /// In a raw rewrite: the anonymized file in place, not yet in the ledger.
    case rewriteInPlace = "rewrite-in-place"
    /// In retention: a file deleted (a raw file after its rewrite, or one past its window), its audit entry
    /// and ledger change not yet written.
    case rawDeleted = "raw-deleted"
    /// In retention: a key file overwritten with zeros, not yet unlinked.
    case keyZeroed = "key-zeroed"
    /// In retention: a key destroyed, its audit entry not yet written.
    case keyDestroyed = "key-destroyed"

    private static let target: String? = getenv("LOGWARD_CRASH_AT").map { String(cString: $0) }

    package func reach() {
        if Self.target == rawValue { kill(getpid(), SIGKILL) }
    }
}
