import Foundation
import Testing
import LogWard

/// Windows hold for every line of a file: a file is as old as its oldest line (issue 16, item 4).
@Suite struct RetentionWindowTests {
    static func epoch(_ text: String) -> Int64 { Timestamp.parseISO8601(Array(text.utf8).span)!.epochSeconds }

    /// A raw groups.im file whose lines span 2010-12-01 to 2010-12-03; groups.im keeps raw logs 90 days. On
    /// 2011-03-01 01:00 its first line is 90 days old: its raw form goes, though its newest line is 88 days old.
    @Test(arguments: [("2011-03-01T01:00:00Z", true), ("2011-02-28T23:00:00Z", false)])
    func aFileIsAgedByItsOldestLine(now: String, due: Bool) throws {
        let directory = try TemporaryDirectory()
        let archive = Archive(root: directory.path("archive"))
        let path = "raw/groups.im/2010/12/03/access.log.gz"
        try FileManager.default.createDirectory(atPath: directory.path("archive/raw/groups.im/2010/12/03"), withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: directory.path("archive/" + path), contents: Data("x".utf8))
        let file = ArchivedFile(path: path, kind: .raw, inputSHA256: String(repeating: "a", count: 64),
                                sha256: String(repeating: "b", count: 64), size: 1, lines: 3,
                                firstEpoch: Self.epoch("2010-12-01T00:00:00Z"), newestEpoch: Self.epoch("2010-12-03T23:00:00Z"),
                                policies: ["groupsim-2009"], format: "combined", site: nil, forcedPolicy: nil,
                                label: "groups.im", createdEpoch: Self.epoch("2010-12-04T03:00:00Z"))
        let plan = RetentionPlanner(archive: archive, policies: Rules.set, keys: nil, now: Self.epoch(now)).plan(files: [file])
        #expect(plan.map(\.kind) == (due ? [.rewriteRaw] : []))
        if due { #expect(plan[0].reason.hasPrefix("oldest line 2010-12-01, 90 days old")) }
    }
}
