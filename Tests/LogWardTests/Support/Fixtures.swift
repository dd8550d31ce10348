import Foundation

/// Paths to the repository's fixtures and to the shared real logs beside the checkout.
enum Fixtures {
    static let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func path(_ name: String) -> String {
        repositoryRoot.appendingPathComponent("fixtures").appendingPathComponent(name).path
    }

    static func sharedLog(_ name: String) -> String {
        repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/logs").appendingPathComponent(name).path
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
