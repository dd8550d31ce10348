import LogWardReport
/// One step of a retention plan. `retain --dry-run` prints the plan; a real run carries out exactly these steps.
public struct RetentionAction: Sendable, Equatable, Codable {
    public enum Kind: String, Sendable, Codable {
        /// The raw window ended and no anonymized copy exists: anonymize it, verify, then delete the raw file.
        case rewriteRaw = "rewrite-raw"
        /// The raw window ended and the anonymized copy is in place (or the data is past every window).
        case deleteRaw = "delete-raw"
        case deleteAnonymized = "delete-anonymized"
        /// Crypto-shredding: the key's window ended and no retained raw data still needs it.
        case destroyKey = "destroy-key"
        /// A ledger entry whose file is already gone (a run was killed between deleting it and recording that).
        case forget
        /// `audit --fix`: an archive file the ledger does not know is recorded, so retention can judge it.
        case adopt
        /// `audit --fix`: an anonymized file that still holds identifiers is anonymized again in place.
        case reanonymize
        /// `audit --fix` outside an archive: a log past its raw window is replaced by its anonymized form.
        case rewriteLog = "rewrite-log"
        /// `audit --fix` outside an archive: a log past its anonymized window is deleted.
        case deleteLog = "delete-log"
    }

    public var kind: Kind
    /// Relative to the archive; a key as `keys/<policy>/<period>.key`.
    public var path: String
    public var policies: [String]
    public var reason: String

    public init(kind: Kind, path: String, policies: [String], reason: String) {
        self.kind = kind
        self.path = path
        self.policies = policies
        self.reason = reason
    }

    public var line: String { "\(kind.rawValue) \(path) [\(policies.joined(separator: ", "))]: \(reason)" }
}
