import Crypto
import Foundation
import Testing
import LogWard

/// Outputs pinned before the pass engines became one (issue 14): with the committed test keys
/// (fixtures/engine-keys), every fixture's anonymized lines and statistics (CSV) have the SHA-256 they had when
/// `LogScanner` and `ParallelAnonymizer` were two engines (now `PassEngine`), on one thread and on two. A change to the pass that
/// moves one output byte fails here.
@Suite struct PinnedOutputTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var arguments: [String]
        var output: String
        var statistics: String
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "head", arguments: ["--site", "music123.com", "fixtures/elastic-head-200.log.gz"],
             output: "ba14a7ed36fc3c05cc4bcdfff2a2518b8f7ea964dd2bf66a37be63808d455718",
             statistics: "8284f049eb12fe40666db45e3cdad1b8a5ab935700ce60636402f95bf6f17b3d"),
        Case(name: "planted", arguments: ["--format", Self.plantedFormat, "--on-reject", "scrub", "--max-reject-rate", "1",
                                          "fixtures/planted/planted.log"],
             output: "0a69e1c1158e38d9d7d6565cf67f636263532f36bc409a9976e3101be99b6b06",
             statistics: "14d43fe790bf74a1cb1f34b8bff78f10bddf181dd73d1e1e0de20a7dcd7a563d"),
        Case(name: "elastic", arguments: ["--site", "groups.im", "--max-reject-rate", "1", "fixtures/logs/elastic-apache-combined-10k.log.gz"],
             output: "0e6763414a4cc04103f0d7623bb6b60ea8852f5d0f9fa0faf13e161ae7f3b9d9",
             statistics: "34a01cf52c81938c04f3f48aa0dfdbeef7b262cafb10538d89881e06c34a2cc6"),
        Case(name: "latin1", arguments: ["--site", "zoomgroups.com", "--max-reject-rate", "1", "fixtures/logs/advertools-latin1-gzip-tail-200.log"],
             output: "7df36620a8010ebf595dcb45e57e4123c6f42791261d74330648cc8a4a464bde",
             statistics: "27bdb94fb97af19a328c949eb6ca0b25684475a7f883d8a4091f56c40e5100f6"),
        Case(name: "vhost", arguments: ["--format", "vhost_combined", "--max-reject-rate", "1", "fixtures/logs/apachelogs-vhost-combined-7.log"],
             output: "d248abb6e68a0cf210fdc07094ffa1fa296f8ad7bc06f0e51e0286630a919897",
             statistics: "81a00f251070c8623e6fe67d5a4ffb75a5d65bf4a6112de8f47f3c9676f7412a"),
    ]

    static var plantedFormat: String {
        (try? String(contentsOf: Fixtures.repositoryRoot.appendingPathComponent("fixtures/planted/format.txt"), encoding: .utf8))?
            .trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
    }

    /// The committed keys, copied with the modes a key store requires (git keeps neither 0700 nor 0600).
    static func keys(in directory: TemporaryDirectory) throws -> String {
        let source = Fixtures.repositoryRoot.appendingPathComponent("fixtures/engine-keys").path
        let target = directory.path("keys")
        try FileManager.default.copyItem(atPath: source, toPath: target)
        chmod(target, 0o700)
        for policy in try FileManager.default.contentsOfDirectory(atPath: target) {
            chmod(target + "/" + policy, 0o700)
            for key in try FileManager.default.contentsOfDirectory(atPath: target + "/" + policy) { chmod(target + "/" + policy + "/" + key, 0o600) }
        }
        return target
    }

    static func sha256(_ data: Data) -> String { SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined() }

    @Test(arguments: cases, [1, 2])
    func theOutputIsTheOneItWas(_ testCase: Case, threads: Int) throws {
        let directory = try TemporaryDirectory()
        let keys = try Self.keys(in: directory)
        let result = try CommandRunner.run(["anonymize", "--rules", "rules", "--keys", keys, "--threads", String(threads),
                                            "-o", directory.path("out.log"), "--csv", directory.path("csv")] + testCase.arguments)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(Self.sha256(try Data(contentsOf: URL(fileURLWithPath: directory.path("out.log")))) == testCase.output)
        var statistics = Data()
        for name in try FileManager.default.contentsOfDirectory(atPath: directory.path("csv")).sorted() {
            statistics += try Data(contentsOf: URL(fileURLWithPath: directory.path("csv") + "/" + name))
        }
        #expect(Self.sha256(statistics) == testCase.statistics)
        // No key was made: the committed ones cover every line, so the digests hold on any day.
        #expect(try FileManager.default.contentsOfDirectory(atPath: keys).count == 6)
    }
}
