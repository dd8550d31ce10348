import Foundation
import GRDB
import Testing
import LogWard

/// An audit without blind spots (issue 16, item 5): any file in an archive's folders whatever its suffix, a file
/// changed since the ledger recorded it, identifiers inside a SQLite database, a key store outside an archive.
@Suite struct AuditBlindSpotTests {
    static let rawLine = "192.0.2.44 - alice [30/Nov/2010:10:00:00 +0000] \"GET /u/alice@example.com HTTP/1.1\" 200 5 \"-\" \"x\"\n"

    @Test func aRawLineSavedAsCSVAndAnEditedFileAreFound() throws {
        let directory = try TemporaryDirectory()
        _ = try ArchiveLifecycleTests.runNights(directory, through: 4)
        let archive = directory.path("archive")
        let ledger = try Ledger(path: archive + "/ledger.sqlite")
        let anonymized = try #require(try ledger.files().first { $0.kind == .anonymized })
        // A raw line where only anonymized files belong, under a name no log has.
        let folder = (archive + "/" + anonymized.path as NSString).deletingLastPathComponent
        try Self.rawLine.write(toFile: folder + "/leak.csv", atomically: true, encoding: .utf8)
        // An anonymized file rewritten behind the ledger's back: its bytes are not the recorded ones.
        let path = archive + "/" + anonymized.path
        var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        bytes.append(contentsOf: try SyntheticLogs.gzip(["192.0.2.45 - - [30/Nov/2010:10:00:00 +0000] \"GET / HTTP/1.1\" 200 5 \"-\" \"x\""]))
        try bytes.write(to: URL(fileURLWithPath: path))

        let auditor = Auditor(policies: Rules.set, format: .combined, now: ArchiveLifecycleTests.epoch("2010-12-03"))
        let (report, _) = try auditor.audit(paths: [archive])
        let kinds = report.violations.map { "\($0.kind.rawValue) \(($0.file as NSString).lastPathComponent)" }
        #expect(kinds.contains("unknown-to-ledger leak.csv"), "\(kinds)")
        #expect(kinds.contains("identifiers-in-anonymized leak.csv"), "\(kinds)")
        let name = (anonymized.path as NSString).lastPathComponent
        #expect(kinds.contains("tampered \(name)"), "\(kinds)")
        #expect(kinds.contains("identifiers-in-anonymized \(name)"), "\(kinds)")
    }

    @Test func aDatabaseHoldingAnAddressIsAViolationAndOneOfPseudonymsIsNot() throws {
        let directory = try TemporaryDirectory()
        try FileManager.default.createDirectory(atPath: directory.path("logs"), withIntermediateDirectories: true)
        for (name, value) in [("clean.sqlite", "h:0123456789abcdef"), ("leak.sqlite", "visitor 198.51.100.7")] {
            let database = try DatabaseQueue(path: directory.path("logs/" + name))
            try database.write { db in
                try db.execute(sql: "CREATE TABLE t (path TEXT, hits INTEGER)")
                try db.execute(sql: "INSERT INTO t VALUES ('/users/:id', 3), (?, 1)", arguments: [value])
            }
        }
        let auditor = Auditor(policies: Rules.set, format: .combined, now: ArchiveLifecycleTests.epoch("2010-12-03"))
        let (report, _) = try auditor.audit(paths: [directory.path("logs")])
        #expect(report.violations.map { "\($0.kind.rawValue) \(($0.file as NSString).lastPathComponent) \($0.message)" }
                == ["identifiers-in-database leak.sqlite address- or e-mail-shaped text: 1 value(s) in table t"])
    }

    /// The piped-logging setup keeps its keys outside any archive: `--keys` names the store and an overdue key
    /// (music123 keeps a key one day past its period) is a violation.
    @Test func aKeyStoreOutsideAnArchiveIsAudited() throws {
        let directory = try TemporaryDirectory()
        try FileManager.default.createDirectory(atPath: directory.path("logs"), withIntermediateDirectories: true)
        try Self.rawLine.write(toFile: directory.path("logs/anon.log"), atomically: true, encoding: .utf8)
        try KnownKeys.install(in: directory.path("keys"), policies: ["music123-2003"], periods: ["2010-11-30", "2010-12-02"])
        var auditor = Auditor(policies: Rules.set, format: .combined, now: ArchiveLifecycleTests.epoch("2010-12-03"))
        auditor.keysDirectory = directory.path("keys")
        let (report, _) = try auditor.audit(paths: [directory.path("logs")])
        let keys = report.violations.filter { $0.kind == .keyPastWindow }.map { ($0.file as NSString).lastPathComponent }
        #expect(keys == ["2010-11-30.key"])
        #expect(report.keysChecked == 2)
    }
}
