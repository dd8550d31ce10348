import LogWardAnonymize
/// A fast 64-bit hash of bytes under a random per-process seed, for the statistics' in-memory caches (visitor
/// codes by address and agent, agent families). Never stored, never a pseudonym: the keyed HMAC makes those.
enum FastHash {
    static let seed = UInt64.random(in: .min ... .max)

    @inline(__always)
    static func hash(_ bytes: Span<UInt8>) -> UInt64 {
        bytes.withUnsafeBytes { hash($0) }
    }

    @inline(__always)
    private static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var state = seed ^ (UInt64(bytes.count) &* 0x9E37_79B9_7F4A_7C15)
        guard let base = bytes.baseAddress else { return finalize(state) }
        let count = bytes.count
        var offset = 0
        if count >= 32 {
            // Four independent lanes: each round waits on the one before it in its lane only, so a user agent
            // (100 bytes and more, hashed on every line) costs a quarter of the multiply latency.
            var lanes = (state, state ^ 0x2545_F491_4F6C_DD1D, state &+ 0x6A09_E667_F3BC_C908, state &- 0xBB67_AE85_84CA_A73B)
            while offset + 32 <= count {
                lanes.0 = round(lanes.0, base.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
                lanes.1 = round(lanes.1, base.loadUnaligned(fromByteOffset: offset + 8, as: UInt64.self))
                lanes.2 = round(lanes.2, base.loadUnaligned(fromByteOffset: offset + 16, as: UInt64.self))
                lanes.3 = round(lanes.3, base.loadUnaligned(fromByteOffset: offset + 24, as: UInt64.self))
                offset += 32
            }
            state = round(round(round(lanes.0, finalize(lanes.1)), finalize(lanes.2)), finalize(lanes.3))
        }
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
