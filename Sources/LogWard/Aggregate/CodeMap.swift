/// An open-addressing hash map from 64-bit keys, for the statistics' per-line lookups (visitor codes, row
/// keys). Swift's `Dictionary` hashes every key with seeded SipHash, which made hashing the largest cost of
/// statistics; here a key is mixed by one multiply (Fibonacci hashing) and probed linearly. Keys are either
/// keyed pseudonyms (uniform already) or small ids, so flooding is not a concern: no input chooses them.
struct CodeMap<Value> {
    private var keys: [UInt64]
    private var values: [Value?]
    /// Key 0 marks an empty slot, so a real 0 lives here.
    private var zeroValue: Value?
    private var shift: UInt64
    private(set) var count = 0

    init(minimumCapacity: Int = 8) {
        var capacity = 8
        while capacity < minimumCapacity * 2 { capacity *= 2 }
        keys = Array(repeating: 0, count: capacity)
        values = Array(repeating: nil, count: capacity)
        shift = UInt64(64 - capacity.trailingZeroBitCount)
    }

    @inline(__always)
    private func slot(_ key: UInt64) -> Int { Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> shift) }

    /// Runs `body` on the value of `key`, inserting `make()` first when absent.
    @inline(__always)
    mutating func update<R>(_ key: UInt64, orInsert make: () -> Value, _ body: (inout Value) -> R) -> R {
        if key == 0 {
            if zeroValue == nil {
                zeroValue = make()
                count += 1
            }
            return body(&zeroValue!)
        }
        let mask = keys.count - 1
        var index = slot(key)
        while true {
            let found = keys[index]
            if found == key { return body(&values[index]!) }
            if found == 0 { break }
            index = (index + 1) & mask
        }
        if (count + 1) * 4 > keys.count * 3 {
            grow()
            return update(key, orInsert: make, body)
        }
        keys[index] = key
        values[index] = make()
        count += 1
        return body(&values[index]!)
    }

    subscript(key: UInt64) -> Value? {
        if key == 0 { return zeroValue }
        let mask = keys.count - 1
        var index = slot(key)
        while true {
            let found = keys[index]
            if found == key { return values[index] }
            if found == 0 { return nil }
            index = (index + 1) & mask
        }
    }

    /// Every entry, in no particular order.
    func forEach(_ body: (UInt64, Value) -> Void) {
        if let zeroValue { body(0, zeroValue) }
        for index in keys.indices where keys[index] != 0 { body(keys[index], values[index]!) }
    }

    private mutating func grow() {
        let oldKeys = keys
        let oldValues = values
        keys = Array(repeating: 0, count: oldKeys.count * 2)
        values = Array(repeating: nil, count: oldKeys.count * 2)
        shift -= 1
        let mask = keys.count - 1
        for old in oldKeys.indices where oldKeys[old] != 0 {
            var index = slot(oldKeys[old])
            while keys[index] != 0 { index = (index + 1) & mask }
            keys[index] = oldKeys[old]
            values[index] = oldValues[old]
        }
    }
}

/// A set of 64-bit visitor codes with the same open addressing (no values: half the memory of a map).
struct CodeSet {
    private var keys: [UInt64] = []
    private var hasZero = false
    private var shift: UInt64 = 64
    private(set) var count = 0

    init() {}

    @inline(__always)
    mutating func insert(_ key: UInt64) {
        if key == 0 {
            if !hasZero { hasZero = true; count += 1 }
            return
        }
        if keys.isEmpty { resize(to: 8) }
        let mask = keys.count - 1
        var index = Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> shift)
        while true {
            let found = keys[index]
            if found == key { return }
            if found == 0 { break }
            index = (index + 1) & mask
        }
        if (count + 1) * 4 > keys.count * 3 {
            resize(to: keys.count * 2)
            insert(key)
            return
        }
        keys[index] = key
        count += 1
    }

    private mutating func resize(to capacity: Int) {
        let old = keys
        keys = Array(repeating: 0, count: capacity)
        shift = UInt64(64 - capacity.trailingZeroBitCount)
        let mask = capacity - 1
        for key in old where key != 0 {
            var index = Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> shift)
            while keys[index] != 0 { index = (index + 1) & mask }
            keys[index] = key
        }
    }
}
