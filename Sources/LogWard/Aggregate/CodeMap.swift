import LogWardAnonymize
/// An open-addressing hash map from 64-bit keys, for the statistics' per-line lookups (visitor codes, row
/// keys). Swift's `Dictionary` hashes every key with seeded SipHash, which made hashing the largest cost of
/// statistics; here a key is mixed by one multiply (Fibonacci hashing) and probed linearly. Keys are either
/// keyed pseudonyms (uniform already) or small ids, so flooding is not a concern: no input chooses them.
struct CodeMap<Value> {
    /// A key beside its value: a lookup that finds its key has its value in the same cache line.
    private struct Entry {
        var key: UInt64
        var value: Value?
    }

    private var entries: [Entry]
    /// Key 0 marks an empty slot, so a real 0 lives here.
    private var zeroValue: Value?
    private var shift: UInt64
    private(set) var count = 0

    init(minimumCapacity: Int = 8) {
        var capacity = 8
        while capacity < minimumCapacity * 2 { capacity *= 2 }
        entries = Array(repeating: Entry(key: 0, value: nil), count: capacity)
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
        let mask = entries.count - 1
        var index = slot(key)
        while true {
            let found = entries[index].key
            if found == key { return body(&entries[index].value!) }
            if found == 0 { break }
            index = (index + 1) & mask
        }
        if (count + 1) * 4 > entries.count * 3 {
            grow()
            return update(key, orInsert: make, body)
        }
        entries[index] = Entry(key: key, value: make())
        count += 1
        return body(&entries[index].value!)
    }

    /// Asks for the slot where `key` is looked up first (see `Prefetch`). Mutating only so that a map held in a
    /// class is reached in place: a read would retain and release its storage for a hint.
    @inline(__always)
    mutating func prefetch(_ key: UInt64) {
        let slot = slot(key)
        entries.withUnsafeMutableBufferPointer { Prefetch.element(slot, of: UnsafeBufferPointer($0)) }
    }

    subscript(key: UInt64) -> Value? {
        if key == 0 { return zeroValue }
        let mask = entries.count - 1
        var index = slot(key)
        while true {
            let found = entries[index].key
            if found == key { return entries[index].value }
            if found == 0 { return nil }
            index = (index + 1) & mask
        }
    }

    /// Every entry, in no particular order.
    func forEach(_ body: (UInt64, Value) -> Void) {
        if let zeroValue { body(0, zeroValue) }
        for entry in entries where entry.key != 0 { body(entry.key, entry.value!) }
    }

    private mutating func grow() {
        let old = entries
        entries = Array(repeating: Entry(key: 0, value: nil), count: old.count * 2)
        shift -= 1
        let mask = entries.count - 1
        for entry in old where entry.key != 0 {
            var index = slot(entry.key)
            while entries[index].key != 0 { index = (index + 1) & mask }
            entries[index] = entry
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

    func forEach(_ body: (UInt64) -> Void) {
        if hasZero { body(0) }
        for key in keys where key != 0 { body(key) }
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
