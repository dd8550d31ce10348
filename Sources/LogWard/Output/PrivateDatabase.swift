import LogWardAggregate
import GRDB

/// How logward opens a SQLite file it owns (the statistics store, the archive's ledger), one way: created 0600 from
/// its first byte (it holds pseudonyms, or the archive's record), its named migrations applied, and when this call
/// created it and its schema could not be written (a full disk), removed with its journal, so nothing half made is
/// left behind.
package enum PrivateDatabase {
    package static func open(path: String, migrator: DatabaseMigrator, foreignKeys: Bool = false) throws -> (queue: DatabaseQueue, createdHere: Bool) {
        let createdHere = access(path, F_OK) != 0
        if createdHere { PrivateFile.createIfMissing(path) }
        var configuration = Configuration()
        configuration.foreignKeysEnabled = foreignKeys
        do {
            let queue = try DatabaseQueue(path: path, configuration: configuration)
            try migrator.migrate(queue)
            return (queue, createdHere)
        } catch {
            if createdHere { remove(path) }
            throw error
        }
    }

    /// The database file and its journals.
    static func remove(_ path: String) {
        for suffix in ["", "-journal", "-wal", "-shm"] { unlink(path + suffix) }
    }
}
