import Foundation
import Testing

/// Paths to the repository's fixtures; real public logs are copied under fixtures/logs (origins in fixtures/README.md).
enum Fixtures {
    static let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func path(_ name: String) -> String {
        repositoryRoot.appendingPathComponent("fixtures").appendingPathComponent(name).path
    }

    /// A real log under fixtures/logs; a missing one is a failed expectation naming its path (the read then fails too).
    static func realLog(_ name: String, sourceLocation: SourceLocation = #_sourceLocation) -> String {
        let path = repositoryRoot.appendingPathComponent("fixtures/logs").appendingPathComponent(name).path
        if !FileManager.default.fileExists(atPath: path) {
            Issue.record("missing fixture \(path)", sourceLocation: sourceLocation)
        }
        return path
    }
}

/// A directory that lives as long as the value; each test gets its own.
final class TemporaryDirectory {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("logward-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    func write(_ name: String, _ bytes: [UInt8]) throws -> String {
        let path = url.appendingPathComponent(name).path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    func write(_ name: String, _ text: String) throws -> String {
        try write(name, Array(text.utf8))
    }

    func path(_ name: String) -> String { url.appendingPathComponent(name).path }
}
