import Foundation
import Testing
import LogWard

@Suite struct KeyStoreTests {
    @Test func createsAPrivateStoreAndKeepsOneKeyPerPeriod() throws {
        let directory = try TemporaryDirectory()
        let store = try KeyStore(directory: directory.path("keys"))
        let first = try store.key(policy: "music123-2003", period: "2010-03-15")
        let again = try KeyStore(directory: directory.path("keys")).key(policy: "music123-2003", period: "2010-03-15")
        let otherDay = try store.key(policy: "music123-2003", period: "2010-03-16")
        #expect(first == again)
        #expect(first != otherDay)
        let attributes = try FileManager.default.attributesOfItem(atPath: store.keyPath(policy: "music123-2003", period: "2010-03-15"))
        #expect(attributes[.posixPermissions] as? Int == 0o600)
        #expect(attributes[.size] as? Int == 32)
        let storeMode = try FileManager.default.attributesOfItem(atPath: directory.path("keys"))[.posixPermissions] as? Int
        #expect(storeMode == 0o700)
        #expect(store.periods(policy: "music123-2003") == ["2010-03-15", "2010-03-16"])
    }

    @Test func refusesAKeyFileOthersCanRead() throws {
        let directory = try TemporaryDirectory()
        let store = try KeyStore(directory: directory.path("keys"))
        _ = try store.key(policy: "p", period: "2010-03-15")
        let path = store.keyPath(policy: "p", period: "2010-03-15")
        chmod(path, 0o644)
        #expect(throws: KeyStoreError.insecurePermissions(path: path, mode: 0o644)) {
            try KeyStore(directory: directory.path("keys")).key(policy: "p", period: "2010-03-15")
        }
        #expect(ExitStatus.for(KeyStoreError.insecurePermissions(path: path, mode: 0o644)) == .usage)
    }

    @Test func refusesAStoreDirectoryOthersCanRead() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("keys")
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o755])
        #expect(throws: KeyStoreError.insecurePermissions(path: path, mode: 0o755)) { try KeyStore(directory: path) }
    }

    @Test func destroyedKeysAreGoneAndReplacedByNewOnes() throws {
        let directory = try TemporaryDirectory()
        let store = try KeyStore(directory: directory.path("keys"))
        let old = try store.key(policy: "p", period: "2010-03-15")
        #expect(try store.destroy(policy: "p", period: "2010-03-15"))
        #expect(try store.existingKey(policy: "p", period: "2010-03-15") == nil)
        #expect(try store.destroy(policy: "p", period: "2010-03-15") == false)
        #expect(try store.key(policy: "p", period: "2010-03-15") != old)
    }

    /// A key overwritten with zeros by a destroy that was killed before the unlink is never used.
    @Test func refusesAZeroFilledOrShortKey() throws {
        let directory = try TemporaryDirectory()
        let store = try KeyStore(directory: directory.path("keys"))
        _ = try store.key(policy: "p", period: "2010-03-15")
        let path = store.keyPath(policy: "p", period: "2010-03-15")
        try Data(count: 32).write(to: URL(fileURLWithPath: path))
        #expect(throws: KeyStoreError.zeroKey(path: path)) { try KeyStore(directory: directory.path("keys")).key(policy: "p", period: "2010-03-15") }
        try Data(repeating: 7, count: 31).write(to: URL(fileURLWithPath: path))
        #expect(throws: KeyStoreError.invalidKey(path: path, size: 31)) { try KeyStore(directory: directory.path("keys")).key(policy: "p", period: "2010-03-15") }
    }

    @Test func refusesAPolicyFolderOthersCanReadUnderAPrivateStore() throws {
        let directory = try TemporaryDirectory()
        let store = try KeyStore(directory: directory.path("keys"))
        _ = try store.key(policy: "p", period: "2010-03-15")
        chmod(directory.path("keys/p"), 0o755)
        #expect(throws: KeyStoreError.insecurePermissions(path: directory.path("keys/p"), mode: 0o755)) {
            try KeyStore(directory: directory.path("keys")).key(policy: "p", period: "2010-03-15")
        }
    }

    @Test(arguments: ["klink", "klink/", "klink//"])
    func refusesAStoreThatIsALinkHoweverItIsWritten(name: String) throws {
        let directory = try TemporaryDirectory()
        _ = try KeyStore(directory: directory.path("keys"))
        try FileManager.default.createSymbolicLink(atPath: directory.path("klink"), withDestinationPath: directory.path("keys"))
        #expect(throws: KeyStoreError.notADirectory(path: directory.path("klink"))) { try KeyStore(directory: directory.path(name)) }
    }

    @Test func withoutAHomeThereIsNoDefaultStore() throws {
        #expect(throws: KeyStoreError.noLocation) { try KeyStore.defaultLocation(environment: [:]) }
        #expect(throws: KeyStoreError.noLocation) { try KeyStore.defaultLocation(environment: ["HOME": ""]) }
        #expect(try KeyStore.defaultLocation(environment: ["HOME": "/home/ops"]) == "/home/ops/.local/state/logward/keys")
        #expect(try KeyStore.defaultLocation(environment: ["HOME": "/home/ops", "LOGWARD_KEYS": "/srv/keys"]) == "/srv/keys")
        #expect(try KeyStore.defaultLocation(environment: ["XDG_STATE_HOME": "/state"]) == "/state/logward/keys")
    }

    @Test func messagesNameTheKeyStoreAndHowToChooseAnother() throws {
        let directory = try TemporaryDirectory()
        // A home that is a file: the store cannot be made there (even by root).
        let home = try directory.write("home", "not a folder")
        let missing = try CommandRunner.run(["anonymize", "--policy", "music123-2003", "-o", "/dev/null", "fixtures/elastic-head-200.log"],
                                            environment: ["HOME": home, "LOGWARD_KEYS": ""])
        #expect(missing.status == 3, "\(missing.stderr)")
        #expect(missing.stderr.contains("key store \(home)/.local/state/logward/keys: Not a directory; choose"), "\(missing.stderr)")
        #expect(missing.stderr.contains("--keys DIR or LOGWARD_KEYS"), "\(missing.stderr)")

        var environment = ProcessInfo.processInfo.environment
        environment["HOME"] = nil
        environment["LOGWARD_KEYS"] = nil
        environment["XDG_STATE_HOME"] = nil
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CommandRunner.executable)
        process.arguments = ["anonymize", "--policy", "music123-2003", "-o", "/dev/null", Fixtures.path("elastic-head-200.log"),
                             "--rules", Fixtures.repositoryRoot.appendingPathComponent("rules").path]
        process.environment = environment
        process.currentDirectoryURL = directory.url
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 2)
        #expect(message.contains("no key store: HOME is not set"), "\(message)")
        #expect(!FileManager.default.fileExists(atPath: directory.path(".local")))
    }
}
