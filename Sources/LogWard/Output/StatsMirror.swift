import Foundation
import LogWardAggregate

/// A second statistics store that receives the SQLite store's files (PostgreSQL, for Grafana). The library knows
/// it by this protocol only, so it builds without the driver; the command line opens one for `--postgres`.
public protocol StatsMirror: AnyObject {
    /// Copies every file of `store` the mirror lacks (`merged`; those it holds are `skipped`), and again the content
    /// the store records as restated (`--replace`, `--reprocess`, an erasure), each file in one transaction with its
    /// site-days' distinct counts recomputed; then the store forgets the restated content.
    func publish(from store: StatsStore) throws -> StatsStore.MergeOutcome
    func close()
}

/// Opens the mirror a URL names.
public typealias StatsMirrorOpener = @Sendable (String) throws -> any StatsMirror

/// The opener of `postgres:` stores, registered once at start-up by a program that links the driver (as
/// swift-log's bootstrap), so configs read anywhere in the library can name one.
public enum StatsMirrorRegistry {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var registered: StatsMirrorOpener?

    public static func register(_ opener: @escaping StatsMirrorOpener) {
        lock.withLock { registered = opener }
    }

    public static var opener: StatsMirrorOpener? { lock.withLock { registered } }
}
