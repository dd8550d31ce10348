import Foundation
import Testing
import LogWard

/// The documented exit codes and messages, through the real executable.
@Suite(.serialized) struct CommandLineTests {
    @Test func checkReportsTheRealLogAndExitsZero() throws {
        let result = try CommandRunner.run(["check", "--json", Fixtures.realLog("elastic-apache-combined-10k.log.gz")])
        #expect(result.status == 0)
        let json = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        let total = try #require(json?["total"] as? [String: Any])
        #expect(total["lines"] as? Int == 10_000)
        #expect(total["parsed"] as? Int == 9_999)
        #expect(total["rejected"] as? Int == 1)
    }

    @Test(arguments: [
        (["check", "--format", "%h %Q", "x.log"], Int32(2), "unknown directive '%Q'"),
        (["check"], 2, "name at least one log file"),
        (["check", "/nonexistent.log"], 3, "/nonexistent.log: cannot open"),
        (["check", "fixtures/elastic-head-200-truncated.log.gz"], 3, "truncated gzip file"),
        (["anonymize", "--policy", "nope", "fixtures/elastic-head-200.log"], 2, "no policy 'nope'"),
        (["anonymize", "--rules", "/nonexistent", "--policy", "default", "fixtures/elastic-head-200.log"], 2, "cannot read the rules directory"),
        (["anonymize", "--on-reject", "keep", "--policy", "default", "fixtures/elastic-head-200.log"], 2, "Please provide one of 'drop' and 'scrub'"),
        (["explain", "--policy", "nope"], 2, "no policy 'nope'"),
        (["check", "--threads", "0", "fixtures/elastic-head-200.log"], 2, "--threads must be 1 to 64"),
    ])
    func errorsExitWithTheirDocumentedCode(arguments: [String], status: Int32, message: String) throws {
        let result = try CommandRunner.run(arguments)
        #expect(result.status == status, "\(result.stderr)")
        #expect(result.stderr.contains(message), "\(result.stderr)")
    }

    @Test func aGroupReadableKeyStoreIsRefused() throws {
        let directory = try TemporaryDirectory()
        let keys = directory.path("keys")
        try FileManager.default.createDirectory(atPath: keys, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o750])
        let result = try CommandRunner.run(["anonymize", "--policy", "music123-2003", "--keys", keys, "fixtures/elastic-head-200.log"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("refusing to use a key store readable by group or others"))
        #expect(result.stdout.isEmpty)
    }

    @Test func messagesNeverQuoteTheInput() throws {
        // Rejected lines are named by number; the planted address and e-mail never reach stderr or the report.
        let directory = try TemporaryDirectory()
        let result = try CommandRunner.run(["anonymize", "--policy", "default", "--format",
                                            try String(contentsOfFile: Fixtures.path("planted/format.txt"), encoding: .utf8).trimmingCharacters(in: .newlines),
                                            "--report", directory.path("report.json"), "fixtures/planted/planted.log"])
        let report = try String(contentsOfFile: directory.path("report.json"), encoding: .utf8)
        for text in [result.stderr, report] {
            #expect(!text.contains("198.51.100.23"))
            #expect(!text.contains("frank@example.com"))
            #expect(text.contains("format-mismatch"))
        }
        #expect(result.status == 1, "1 of 8 lines rejected is over the 5% default")
    }

    /// Any number of workers writes the bytes one thread writes, and stores the same statistics.
    @Test func fourThreadsWriteWhatOneWrites() throws {
        let directory = try TemporaryDirectory()
        var outputs: [String] = []
        var daily: [[DailyRow]] = []
        for threads in ["1", "4"] {
            let result = try CommandRunner.run(["anonymize", "--threads", threads, "--policy", "music123-2003", "--keys", directory.path("keys"),
                                                "--sqlite", directory.path("s\(threads).sqlite"),
                                                Fixtures.realLog("elastic-apache-combined-10k.log.gz")])
            #expect(result.status == 0, "\(result.stderr)")
            outputs.append(result.stdout)
            daily.append(try StatsStore(path: directory.path("s\(threads).sqlite")).daily())
        }
        #expect(outputs[0].split(separator: "\n").count == 9_999)
        #expect(outputs[1] == outputs[0])
        #expect(daily[1] == daily[0])
    }

    @Test func gzipOutputIsCommittedWhole() throws {
        let directory = try TemporaryDirectory()
        let output = directory.path("anon.log.gz")
        let result = try CommandRunner.run(["anonymize", "--policy", "123together-2003", "-o", output,
                                            "fixtures/elastic-head-200-multi-member.log.gz"])
        #expect(result.status == 0, "\(result.stderr)")
        let (handler, outcome) = LogScanner.record(output)
        #expect(outcome.error == nil)
        #expect(handler.parsed.count == 200)
        #expect(handler.parsed.allSatisfy { $0.fields["client"]!.hasSuffix(".0") })
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.url.path) == ["anon.log.gz"])
        #expect(try FileManager.default.attributesOfItem(atPath: output)[.posixPermissions] as? Int == 0o600)
    }

    @Test func aPipedLineComesOutBeforeTheInputCloses() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CommandRunner.executable)
        process.currentDirectoryURL = Fixtures.repositoryRoot
        process.arguments = ["anonymize", "--policy", "123together-2003", "--quiet", "-"]
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        let line = #"192.0.2.77 - - [17/May/2015:10:05:03 +0000] "GET / HTTP/1.1" 200 12 "-" "curl/8""# + "\n"
        input.fileHandleForWriting.write(Data(line.utf8))
        // Read while stdin is still open: a buffered writer would block here until the pipe closed.
        let received = LockedData()
        let done = DispatchSemaphore(value: 0)
        let reader = output.fileHandleForReading
        Thread {
            var data = Data()
            while !data.contains(UInt8(ascii: "\n")) {
                let chunk = reader.availableData
                if chunk.isEmpty { break }
                data.append(chunk)
            }
            received.set(data)
            done.signal()
        }.start()
        let arrived = done.wait(timeout: .now() + 20) == .success
        try input.fileHandleForWriting.close()
        process.waitUntilExit()
        #expect(arrived)
        #expect(String(decoding: received.get(), as: UTF8.self)
            == #"192.0.2.0 - - [17/May/2015:10:05:03 +0000] "GET / HTTP/1.1" 200 12 "-" "curl/8""# + "\n")
        #expect(process.terminationStatus == 0)
    }
}

final class LockedData: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()
    func set(_ value: Data) { lock.lock(); data = value; lock.unlock() }
    func get() -> Data { lock.lock(); defer { lock.unlock() }; return data }
}
