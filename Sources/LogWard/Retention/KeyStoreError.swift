/// Problems with the pseudonym key store. Permissions and bad keys are configuration errors (exit 2).
public enum KeyStoreError: Error, Equatable, Sendable, CustomStringConvertible {
    case insecurePermissions(path: String, mode: UInt32)
    case notADirectory(path: String)
    case invalidKey(path: String, size: Int)
    case io(path: String, reason: String)

    public var description: String {
        switch self {
        case .insecurePermissions(let path, let mode):
            return "\(path): refusing to use a key store readable by group or others (mode \(String(mode, radix: 8))); run chmod go-rwx on it"
        case .notADirectory(let path):
            return "\(path): the key store must be a directory"
        case .invalidKey(let path, let size):
            return "\(path): a key file must hold 32 bytes, this one holds \(size)"
        case .io(let path, let reason):
            return "\(path): \(reason)"
        }
    }
}
