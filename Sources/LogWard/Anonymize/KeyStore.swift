import LogWardPolicy
import Crypto
import Foundation

/// Pseudonym keys on disk: `<store>/<policy>/<period>.key`, 32 random bytes each. The store is 0700 and
/// every key file 0600; logward refuses either when group or others can read it. Destroying a key file
/// makes the pseudonyms made with it unlinkable for good (crypto-shredding).
public final class KeyStore {
    public static let keySize = 32
    public let directory: String
    private var cache: [String: SymmetricKey] = [:]
    /// Anonymizer workers share one store.
    private let lock = NSLock()

    /// Whether a missing key may be made. False on a machine that must only use keys made ahead (`--no-new-keys`,
    /// a Spark executor): shards of one day processed apart must pseudonymize with one key.
    public let createsKeys: Bool

    /// Opens the store, creating it (0700) when missing and `createsKeys`.
    public init(directory: String, createsKeys: Bool = true) throws {
        // `keys/` names the link `keys` is, if it is one: without the slash, lstat sees the link and refuses it.
        var directory = directory
        while directory.count > 1, directory.hasSuffix("/") { directory.removeLast() }
        self.directory = directory
        self.createsKeys = createsKeys
        try Self.ensurePrivateDirectory(directory, create: createsKeys)
    }

    /// Creates the keys of every period of `periodDays` days that overlaps `fromDay...toDay` (UTC day numbers)
    /// and returns how many were made and how many were there already.
    public func createKeys(policy: String, periodDays: Int, fromDay: Int64, toDay: Int64) throws -> (created: Int, existing: Int) {
        var created = 0
        var existing = 0
        var seen = Set<String>()
        for day in fromDay...toDay {
            let period = PseudonymizerPool.period(of: day * 86_400, periodDays: periodDays).name
            guard seen.insert(period).inserted else { continue }
            if try existingKey(policy: policy, period: period) != nil {
                existing += 1
            } else {
                _ = try key(policy: policy, period: period)
                created += 1
            }
        }
        return (created, existing)
    }

    /// The store a command uses when none is named: $LOGWARD_KEYS, else $XDG_STATE_HOME/logward/keys, else
    /// ~/.local/state/logward/keys. Without a home, there is no default: never a store in the working directory.
    public static func defaultLocation(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> String {
        if let path = environment["LOGWARD_KEYS"], !path.isEmpty { return path }
        if let state = environment["XDG_STATE_HOME"], state.hasPrefix("/") { return state + "/logward/keys" }
        guard let home = environment["HOME"], home.hasPrefix("/") else { throw KeyStoreError.noLocation }
        return home + "/.local/state/logward/keys"
    }

    public func keyPath(policy: String, period: String) -> String { "\(directory)/\(policy)/\(period).key" }

    /// The key of a policy's period, created at first use. Two processes creating it at once end with one key:
    /// the file is linked into place, and the loser reads the winner's.
    public func key(policy: String, period: String) throws -> SymmetricKey {
        lock.lock()
        defer { lock.unlock() }
        let path = keyPath(policy: policy, period: period)
        if let key = cache[path] { return key }
        let key: SymmetricKey
        if let existing = try readKey(path) {
            key = existing
        } else {
            guard createsKeys else { throw KeyStoreError.missingKey(path: path) }
            try Self.ensurePrivateDirectory("\(directory)/\(policy)")
            key = try createKey(path)
        }
        cache[path] = key
        return key
    }

    /// The key if it exists; never creates one.
    public func existingKey(policy: String, period: String) throws -> SymmetricKey? {
        try readKey(keyPath(policy: policy, period: period))
    }

    /// The periods that still have a key, per policy directory.
    public func periods(policy: String) -> [String] {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "\(directory)/\(policy)") else { return [] }
        return entries.filter { $0.hasSuffix(".key") }.map { String($0.dropLast(4)) }.sorted()
    }

    /// Overwrites and removes a key file. Returns false when there was none.
    @discardableResult
    public func destroy(policy: String, period: String) throws -> Bool {
        lock.lock()
        defer { lock.unlock() }
        let path = keyPath(policy: policy, period: period)
        cache[path] = nil
        let fd = open(path, O_WRONLY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else {
            if errno == ENOENT { return false }
            throw KeyStoreError.io(path: path, reason: String(cString: strerror(errno)))
        }
        // Zero the bytes before unlinking, so a later scan of the disk blocks finds no key material.
        let zeros = [UInt8](repeating: 0, count: Self.keySize)
        _ = zeros.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        fsync(fd)
        close(fd)
        CrashPoint.keyZeroed.reach()
        guard unlink(path) == 0 else { throw KeyStoreError.io(path: path, reason: String(cString: strerror(errno))) }
        SystemCalls.syncDirectory(of: path)
        return true
    }

    private func readKey(_ path: String) throws -> SymmetricKey? {
        let fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else {
            if errno == ENOENT { return nil }
            throw KeyStoreError.io(path: path, reason: String(cString: strerror(errno)))
        }
        defer { close(fd) }
        // The policy's folder is as private as the store: a key in a folder others can list or enter is refused.
        try Self.ensurePrivateDirectory(String(path[..<path.lastIndex(of: "/")!]), create: false)
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw KeyStoreError.io(path: path, reason: String(cString: strerror(errno))) }
        guard info.st_mode & S_IFMT == S_IFREG else { throw KeyStoreError.invalidKey(path: path, size: 0) }
        guard info.st_mode & 0o077 == 0 else { throw KeyStoreError.insecurePermissions(path: path, mode: UInt32(info.st_mode & 0o777)) }
        var bytes = [UInt8](repeating: 0, count: Self.keySize + 1)
        let count = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        guard count == Self.keySize else { throw KeyStoreError.invalidKey(path: path, size: max(count, 0)) }
        guard bytes[..<Self.keySize].contains(where: { $0 != 0 }) else { throw KeyStoreError.zeroKey(path: path) }
        return SymmetricKey(data: bytes[..<Self.keySize])
    }

    private func createKey(_ path: String) throws -> SymmetricKey {
        let key = SymmetricKey(size: .bits256)
        let temporary = path + ".tmp-\(getpid())"
        unlink(temporary)
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw KeyStoreError.io(path: temporary, reason: String(cString: strerror(errno))) }
        let written = key.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        let synced = fsync(fd)
        close(fd)
        defer { unlink(temporary) }
        guard written == Self.keySize, synced == 0 else {
            throw KeyStoreError.io(path: temporary, reason: "could not write the key")
        }
        if link(temporary, path) != 0 {
            guard errno == EEXIST, let winner = try readKey(path) else {
                throw KeyStoreError.io(path: path, reason: String(cString: strerror(errno)))
            }
            return winner
        }
        SystemCalls.syncDirectory(of: path)
        return key
    }

    /// Creates `path` as 0700 if missing; refuses an existing one that group or others can enter or read.
    package static func ensurePrivateDirectory(_ path: String, create: Bool = true) throws {
        var info = stat()
        if lstat(path, &info) != 0 {
            guard errno == ENOENT, create else { throw KeyStoreError.io(path: path, reason: String(cString: strerror(errno))) }
            let parent = path.lastIndex(of: "/").map { String(path[..<$0]) } ?? ""
            if !parent.isEmpty, lstat(parent, &info) != 0 {
                // Parents are ordinary directories; only the store itself must be private.
                try? FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
            }
            guard mkdir(path, 0o700) == 0 || errno == EEXIST else {
                throw KeyStoreError.io(path: path, reason: "cannot create it: " + String(cString: strerror(errno)))
            }
            chmod(path, 0o700)  // umask may have narrowed it; never widened
            return
        }
        guard info.st_mode & S_IFMT == S_IFDIR else { throw KeyStoreError.notADirectory(path: path) }
        guard info.st_mode & 0o077 == 0 else { throw KeyStoreError.insecurePermissions(path: path, mode: UInt32(info.st_mode & 0o777)) }
    }
}
