/// A fast 64-bit hash of bytes under a random per-process seed, for the statistics' in-memory caches (visitor
/// codes by address and agent, agent families). Never stored, never a pseudonym: the keyed HMAC makes those.
enum FastHash {
    static let seed = UInt64.random(in: .min ... .max)

    @inline(__always)
    static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var state = seed ^ (UInt64(bytes.count) &* 0x9E37_79B9_7F4A_7C15)
        guard let base = bytes.baseAddress else { return finalize(state) }
        let count = bytes.count
        var offset = 0
        while offset + 8 <= count {
            state = round(state, base.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
            offset += 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while offset < count {
            tail |= UInt64(base.load(fromByteOffset: offset, as: UInt8.self)) << shift
            shift += 8
            offset += 1
        }
        return finalize(round(state, tail))
    }

    @inline(__always)
    static func combine(_ a: UInt64, _ b: UInt64) -> UInt64 { finalize(round(a, b)) }

    @inline(__always)
    private static func round(_ state: UInt64, _ word: UInt64) -> UInt64 {
        let mixed = (state ^ word) &* 0xFF51_AFD7_ED55_8CCD
        return (mixed ^ (mixed >> 32)) &* 0x9E37_79B9_7F4A_7C15
    }

    /// MurmurHash3's 64-bit finalizer.
    @inline(__always)
    static func finalize(_ value: UInt64) -> UInt64 {
        var x = value
        x ^= x >> 33
        x &*= 0xFF51_AFD7_ED55_8CCD
        x ^= x >> 33
        x &*= 0xC4CE_B9FE_1A85_EC53
        x ^= x >> 33
        return x
    }
}
