import Foundation
import Testing
import LogWard

@Suite struct ArchiveTests {
    @Test(arguments: ["../etc/passwd", "/etc/passwd", "raw/../../x", "raw//x", "raw/./x", ""])
    func aPathThatWouldLeaveTheArchiveIsRefused(path: String) {
        #expect(throws: ArchiveError.outsideArchive(path: path)) { try Archive(root: "/tmp/a").absolutePath(path) }
    }

    @Test func namesCarryTheContentDigestAndDatesComeFromTheNewestLine() {
        let sha = "031fff022dd207af6de6fa9128ea4ea9255be0b1245a33d0ed9292cdcd1de541"
        #expect(Archive.fileName(input: "/var/log/apache2/access.log.3.gz", sha256: sha, compressed: true) == "access.log.3.031fff022dd2.log.gz")
        #expect(Archive.fileName(input: "shop.log", sha256: sha, compressed: false) == "shop.031fff022dd2.log")
        let newest = RulesLoader.parseDay("2009-12-05")! * 86_400 + 86_399
        #expect(Archive.relativePath(.raw, label: "groups.im", newestEpoch: newest, name: "x.log.gz") == "raw/groups.im/2009/12/05/x.log.gz")
        #expect(Archive.relativePath(.anonymized, label: "vhosts", newestEpoch: newest, name: "x.log.gz") == "anon/vhosts/2009/12/05/x.log.gz")
    }

    @Test func theAuditTrailAppendsOneJSONObjectPerLine() throws {
        let directory = try TemporaryDirectory()
        let trail = try AuditTrail(path: directory.path("audit.jsonl"))
        let event = AuditTrail.Event(time: "2026-11-23T00:00:00Z", action: "destroy-key", file: "keys/p/2026-11-01.key", policies: ["p"],
                                     sha256Before: nil, sha256After: nil, reason: "r", asOf: nil)
        try trail.append(event)
        try trail.append(event)
        let text = try String(contentsOfFile: directory.path("audit.jsonl"), encoding: .utf8)
        #expect(text == String(repeating: #"{"action":"destroy-key","file":"keys/p/2026-11-01.key","policies":["p"],"reason":"r","time":"2026-11-23T00:00:00Z"}"# + "\n", count: 2))
        #expect(try AuditTrail.read(path: directory.path("audit.jsonl")) == [event, event])
        #expect(try FileManager.default.attributesOfItem(atPath: directory.path("audit.jsonl"))[.posixPermissions] as? Int == 0o600)
    }
}
