import CMemory
import Crypto
import Foundation
import LogWardPolicy

/// The pseudonymizer of each policy for the period a line falls in, with keys from the key store.
public final class PseudonymizerPool {
    public enum PoolError: Error, CustomStringConvertible {
        case noKeyStore(policy: String)

        public var description: String {
            switch self {
            case .noKeyStore(let policy): return "policy \(policy) hashes fields, which needs a key store (--keys DIR)"
            }
        }
    }

    /// A class, so the pseudonymizer (and its cache) is mutated in place, never copied per line.
    private final class Slot {
        /// The period's instants, so a line in the same period finds its slot without a division.
        private(set) var start: Int64
        private(set) var end: Int64
        @exclusivity(unchecked) var pseudonymizer: Pseudonymizer

        init(period: Int64, length: Int64, key: SymmetricKey) {
            start = period * length
            end = start + length
            pseudonymizer = Pseudonymizer(key: key)
        }

        /// The next period: the same pseudonymizer and cache memory, under the period's key.
        func rekey(period: Int64, length: Int64, key: SymmetricKey) {
            start = period * length
            end = start + length
            pseudonymizer.rekey(key)
        }
    }

    /// The key store this pool's keys come from (a parallel worker's pool reads the same one).
    package let keys: KeyStore?
    /// By policy index: looked up for every pseudonym.
    @exclusivity(unchecked) private var slots: [Slot?] = []
    /// Where the address cache of the pseudonymizer used last lies, for `prefetch`: a plain address, so a hint costs
    /// no retain of the slot (it was one per line). Possibly stale after a rekey: a prefetch of any address is harmless.
    @exclusivity(unchecked) private var prefetchBase: UnsafeRawPointer?
    /// Key files used, as `policy/period`, for reports and the ledger.
    public private(set) var keysUsed: Set<String> = []

    public init(keys: KeyStore?) { self.keys = keys }

    /// The period name (the first day of the period, `YYYY-MM-DD`) of an instant under a policy.
    public static func period(of epoch: Int64, periodDays: Int) -> (index: Int64, name: String) {
        let length = Int64(periodDays) * 86_400
        let index = epoch.floorDivided(by: length)
        return (index, Timestamp.day(index * length))
    }

    func pseudonym(policyIndex: Int, policyID: String, periodDays: Int, epoch: Int64, value: Span<UInt8>,
                   domain: Pseudonymizer.Domain) throws -> [UInt8] {
        try slot(policyIndex, policyID: policyID, periodDays: periodDays, epoch: epoch).pseudonymizer.pseudonym(of: value, domain: domain)
    }

    func code(policyIndex: Int, policyID: String, periodDays: Int, epoch: Int64, value: Span<UInt8>,
              domain: Pseudonymizer.Domain) throws -> UInt64 {
        try slot(policyIndex, policyID: policyID, periodDays: periodDays, epoch: epoch).pseudonymizer.code(of: value, domain: domain)
    }

    /// A code of a message that begins with its domain's byte (see `Pseudonymizer.code(ofPrefixed:)`).
    package func code(policyIndex: Int, policyID: String, periodDays: Int, epoch: Int64, prefixed message: Span<UInt8>) throws -> UInt64 {
        try slot(policyIndex, policyID: policyID, periodDays: periodDays, epoch: epoch).pseudonymizer.code(ofPrefixed: message)
    }

    func code(policyIndex: Int, policyID: String, periodDays: Int, epoch: Int64, address: IPAddress) throws -> UInt64 {
        let slot = try slot(policyIndex, policyID: policyID, periodDays: periodDays, epoch: epoch)
        let code = slot.pseudonymizer.code(of: address)
        // The cache is allocated on the first address of a pseudonymizer, and moves only on a rekey.
        if prefetchBase == nil { prefetchBase = slot.pseudonymizer.cacheBase }
        return code
    }

    /// Asks for an address's cache slot in the pseudonymizer used last, ahead of its `code`: a hint only (the
    /// next line is nearly always of the same policy and period).
    @inline(__always)
    package func prefetch(_ address: IPAddress) {
        guard let base = prefetchBase else { return }
        logward_prefetch(base + Pseudonymizer.cacheOffset(of: address.mappedIPv4.map { .v4($0) } ?? address))
    }

    private func slot(_ policyIndex: Int, policyID: String, periodDays: Int, epoch: Int64) throws -> Slot {
        if policyIndex < slots.count, let slot = slots[policyIndex], epoch >= slot.start, epoch < slot.end { return slot }
        // Set on the way out of the fast path only: the pool's lines are nearly all of this slot until the next miss.
        let slot = try newSlot(policyIndex, policyID: policyID, periodDays: periodDays, epoch: epoch)
        prefetchBase = slot.pseudonymizer.cacheBase
        return slot
    }

    private func newSlot(_ policyIndex: Int, policyID: String, periodDays: Int, epoch: Int64) throws -> Slot {
        let length = Int64(periodDays) * 86_400
        let periodIndex = epoch.floorDivided(by: length)
        guard let keys else { throw PoolError.noKeyStore(policy: policyID) }
        let period = Self.period(of: epoch, periodDays: periodDays)
        let key = try keys.key(policy: policyID, period: period.name)
        keysUsed.insert("\(policyID)/\(period.name)")
        if slots.count <= policyIndex { slots += Array(repeating: nil, count: policyIndex + 1 - slots.count) }
        if let slot = slots[policyIndex] {
            slot.rekey(period: periodIndex, length: length, key: key)
            return slot
        }
        let slot = Slot(period: periodIndex, length: length, key: key)
        slots[policyIndex] = slot
        return slot
    }
}

extension PseudonymizerPool.PoolError: LogWardError { public var exitStatus: ExitStatus { .usage } }
