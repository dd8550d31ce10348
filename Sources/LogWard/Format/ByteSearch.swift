import CMemory

/// Byte searches over a line's short fields, 16 bytes at a time (see `ByteSearch.h`): a call to memchr per field
/// cost more than the search. Long runs (a chunk's newlines) still go to memchr.
enum ByteSearch {
    /// The index of the first `byte` in `bytes[start...]`.
    @inline(__always)
    static func firstIndex(of byte: UInt8, in bytes: UnsafeRawBufferPointer, from start: Int = 0) -> Int? {
        guard start < bytes.count, let base = bytes.baseAddress else { return nil }
        let found = logward_find_byte(base + start, bytes.count - start, byte)
        return found < 0 ? nil : start + found
    }

    /// Whether `bytes` holds `first` or `second`.
    @inline(__always)
    static func containsEither(_ first: UInt8, _ second: UInt8, in bytes: UnsafeRawBufferPointer) -> Bool {
        guard let base = bytes.baseAddress else { return false }
        return logward_contains_either(base, bytes.count, first, second) != 0
    }

    /// Whether `byte` occurs at least `wanted` times in `bytes`.
    @inline(__always)
    static func occurs(_ byte: UInt8, atLeast wanted: Int, in bytes: UnsafeRawBufferPointer) -> Bool {
        guard let base = bytes.baseAddress else { return wanted <= 0 }
        return logward_count_byte(base, bytes.count, byte, wanted) >= wanted
    }
}
