import LogWardPolicy
/// Problems with the pseudonym key store. Permissions and bad keys are configuration errors (exit 2).
/// Messages name the key store, and say how to choose another, so "No such file or directory" is never alone.
public enum KeyStoreError: Error, Equatable, Sendable, CustomStringConvertible {
    case insecurePermissions(path: String, mode: UInt32)
    case notADirectory(path: String)
    case invalidKey(path: String, size: Int)
    /// A key of 32 zero bytes: a destroy interrupted between overwriting and unlinking, never a usable key.
    case zeroKey(path: String)
    /// No store was named and there is no home directory to put the default one in.
    case noLocation
    /// A key this run may not create (`--no-new-keys`): it was not made ahead.
    case missingKey(path: String)
    case io(path: String, reason: String)

    static let hint = "choose the key store with --keys DIR or LOGWARD_KEYS"

    public var description: String {
        switch self {
        case .insecurePermissions(let path, let mode):
            return "key store \(path): refusing to use a key store readable by group or others (mode \(String(mode, radix: 8))); run chmod go-rwx on it"
        case .notADirectory(let path):
            return "key store \(path): must be a directory (not a file or a link); \(Self.hint)"
        case .invalidKey(let path, let size):
            return "key store \(path): a key file must hold 32 bytes, this one holds \(size)"
        case .zeroKey(let path):
            return "key store \(path): the key is all zeros (a destroy was interrupted); 'logward retain' finishes it"
        case .noLocation:
            return "no key store: HOME is not set, so there is no default (~/.local/state/logward/keys); \(Self.hint)"
        case .missingKey(let path):
            return "key store \(path): no such key, and this run may not create one (--no-new-keys); make the keys ahead "
                + "with `logward keys create` and ship the store"
        case .io(let path, let reason):
            return "key store \(path): \(reason); \(Self.hint)"
        }
    }
}

extension KeyStoreError: LogWardError {
    public var exitStatus: ExitStatus {
        if case .io = self { return .unreadableInput }
        return .usage
    }
}
