import Foundation
import Testing
@testable import LogWard

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
}
