import Foundation
import LogWardReport
/// `archive/audit.jsonl`: one JSON object per line for every write, rewrite, deletion and key destruction,
/// appended (O_APPEND) and fsynced before logward goes on. Never rewritten, never truncated by logward.
public final class AuditTrail {
    public struct Event: Codable, Sendable, Equatable {
        /// When it happened (UTC, ISO 8601).
        public var time: String
        /// `write-anonymized`, `copy-raw`, `rewrite-raw`, `delete-raw`, `delete-anonymized`, `destroy-key`,
        /// `forget` (a ledger entry whose file was already gone), `adopt` (a file `audit --fix` added to the ledger),
        /// `erase` (a file rewritten without one person's lines), `erase-request` (the request, as a keyed digest).
        public var action: String
        /// Relative to the archive (a key as `keys/<policy>/<period>.key`).
        public var file: String
        public var policies: [String]
        public var sha256Before: String?
        public var sha256After: String?
        public var reason: String
        /// The date retention judged by (`--now`), when it is not the clock.
        public var asOf: String?

        package init(time: String, action: String, file: String, policies: [String], sha256Before: String? = nil,
                     sha256After: String? = nil, reason: String, asOf: String? = nil) {
            self.time = time
            self.action = action
            self.file = file
            self.policies = policies
            self.sha256Before = sha256Before
            self.sha256After = sha256After
            self.reason = reason
            self.asOf = asOf
        }

        enum CodingKeys: String, CodingKey {
            case time, action, file, policies, reason
            case sha256Before = "sha256_before"
            case sha256After = "sha256_after"
            case asOf = "as_of"
        }
    }

    public let path: String
    private let fd: Int32

    public init(path: String) throws {
        self.path = path
        let opened = open(path, O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard opened >= 0 else { throw ArchiveError.io(path: path, reason: String(cString: strerror(errno))) }
        fd = opened
    }

    deinit { close(fd) }

    public func append(_ event: Event) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var line = try encoder.encode(event)
        line.append(UInt8(ascii: "\n"))
        // One write per event: with O_APPEND a line is never interleaved with another writer's.
        let written = line.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        guard written == line.count, fsync(fd) == 0 else {
            throw ArchiveError.io(path: path, reason: "cannot append: " + String(cString: strerror(errno)))
        }
    }

    /// Every event of an audit trail file (for reports and tests).
    public static func read(path: String) throws -> [Event] {
        guard let data = FileManager.default.contents(atPath: path) else { return [] }
        let decoder = JSONDecoder()
        return try data.split(separator: UInt8(ascii: "\n")).map { try decoder.decode(Event.self, from: Data($0)) }
    }
}
