import Foundation

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

    private let keys: KeyStore?
    private var current: [Int: (period: Int64, pseudonymizer: Pseudonymizer)] = [:]
    /// Key files used, as `policy/period`, for reports and the ledger.
    public private(set) var keysUsed: Set<String> = []

    public init(keys: KeyStore?) { self.keys = keys }

    /// The period name (the first day of the period, `YYYY-MM-DD`) of an instant under a policy.
    public static func period(of epoch: Int64, periodDays: Int) -> (index: Int64, name: String) {
        let length = Int64(periodDays) * 86_400
        let index = epoch >= 0 ? epoch / length : (epoch - length + 1) / length
        return (index, Timestamp.day(index * length))
    }

    public func pseudonym(policyIndex: Int, policy: Policy, epoch: Int64, value: UnsafeRawBufferPointer,
                          domain: Pseudonymizer.Domain) throws -> [UInt8] {
        let period = Self.period(of: epoch, periodDays: policy.keyPeriodDays)
        if let entry = current[policyIndex], entry.period == period.index {
            var pseudonymizer = entry.pseudonymizer
            current[policyIndex] = nil  // keep the cache uniquely referenced while it grows
            let text = pseudonymizer.pseudonym(of: value, domain: domain)
            current[policyIndex] = (period.index, pseudonymizer)
            return text
        }
        guard let keys else { throw PoolError.noKeyStore(policy: policy.id) }
        let key = try keys.key(policy: policy.id, period: period.name)
        keysUsed.insert("\(policy.id)/\(period.name)")
        var pseudonymizer = Pseudonymizer(key: key)
        let text = pseudonymizer.pseudonym(of: value, domain: domain)
        current[policyIndex] = (period.index, pseudonymizer)
        return text
    }
}
