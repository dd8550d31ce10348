import Foundation
import Testing
import LogWard

/// The Spark job (issue 18) in local mode, `local[2]`: 8 shards of a generated 4-day log, one task each, give
/// the statistics one `logward stats` gives over all of them (every row of both views), and per input the same
/// anonymized bytes as `logward anonymize` of that file alone. pyspark is installed by `make tools` into
/// .build/tools/spark; Java 17 comes from Debian (`default-jre-headless`).
@Suite struct SparkJobTests {
    static var python: String {
        ProcessInfo.processInfo.environment["LOGWARD_SPARK_PYTHON"]
            ?? Fixtures.repositoryRoot.appendingPathComponent(".build/tools/spark/bin/python").path
    }

    static let rules = Fixtures.repositoryRoot.appendingPathComponent("rules").path

    @Test func eightShardsOnSparkGiveTheNumbersAndBytesOfOneProcess() throws {
        guard FileManager.default.isExecutableFile(atPath: Self.python) else {
            Issue.record("pyspark's python not found at \(Self.python): run `make tools`")
            return
        }
        let directory = try TemporaryDirectory()
        // Four days, eight shards: each day's lines are spread over two files, so visitors meet across shards.
        var shards: [String] = []
        for index in 0..<8 {
            let day = "2026-11-\(18 + index / 2)"
            let lines = SyntheticLogs.lines(day: day, count: 60, startHour: 6 + (index % 2) * 7)
            let path = directory.path("logs/access.log.\(index).gz")
            try FileManager.default.createDirectory(atPath: directory.path("logs"), withIntermediateDirectories: true)
            try Data(try SyntheticLogs.gzip(lines)).write(to: URL(fileURLWithPath: path))
            shards.append(path)
        }
        let keys = directory.path("keys")
        let created = try CommandRunner.run(["keys", "create", "--keys", keys, "--rules", Self.rules, "--policy", "groupsim-2009",
                                             "--from", "2026-11-18", "--to", "2026-11-21"])
        #expect(created.status == 0, "\(created.stderr)")

        let job = Process()
        job.executableURL = URL(fileURLWithPath: Self.python)
        job.arguments = [Fixtures.repositoryRoot.appendingPathComponent("scale/spark/logward_job.py").path,
                         "--master", "local[2]", "--logward", CommandRunner.executable, "--rules", Self.rules, "--keys", keys,
                         "--site", "groups.im", "--out", directory.path("out"), "--sqlite", directory.path("spark.sqlite"),
                         directory.path("logs/access.log.*.gz")]
        let output = Pipe()
        job.standardOutput = output
        job.standardError = FileHandle.nullDevice
        try job.run()
        let printed = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        job.waitUntilExit()
        #expect(job.terminationStatus == 0, "\(printed)")
        #expect(printed.contains("logward merge: 8 file(s) merged, 0 already present, from 8 store(s)"), "\(printed)")
        #expect(printed.contains("logward_job: 8 file(s), 0 task(s) failed"), "\(printed)")

        // One process over all of them, with the same keys.
        let one = try CommandRunner.run(["stats", "--rules", Self.rules, "--keys", keys, "--no-new-keys", "--site", "groups.im",
                                         "--sqlite", directory.path("one.sqlite")] + shards)
        #expect(one.status == 0, "\(one.stderr)")
        let spark = try StatsStore(path: directory.path("spark.sqlite"))
        let single = try StatsStore(path: directory.path("one.sqlite"))
        #expect(try spark.daily().count == 4)
        #expect(try spark.daily() == single.daily())
        #expect(try spark.breakdown() == single.breakdown())

        // Per input, the bytes `logward anonymize` writes for it alone.
        let written = try FileManager.default.contentsOfDirectory(atPath: directory.path("out/anon")).sorted()
        #expect(written.count == 8)
        for (index, shard) in shards.enumerated() {
            let alone = directory.path("alone\(index).log.gz")
            let result = try CommandRunner.run(["anonymize", "--rules", Self.rules, "--keys", keys, "--no-new-keys", "--site", "groups.im",
                                                "-o", alone, shard])
            #expect(result.status == 0, "\(result.stderr)")
            let name = try #require(written.first { $0.hasPrefix("access.log.\(index).") })
            #expect(try Data(contentsOf: URL(fileURLWithPath: directory.path("out/anon/" + name)))
                    == Data(contentsOf: URL(fileURLWithPath: alone)), "\(name)")
        }
        // The partial stores are gone after the merge.
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path("out/partials")).isEmpty)
    }
}
