import CMemory
import LogWardInput

/// A byte search over a line's short fields, 16 bytes at a time (see `ByteSearch.h`): a call to memchr per field
/// cost more than the search. Long runs (a chunk's newlines) still go to memchr. Public and inlinable, not
/// package: this toolchain inlines no `package` function into another module, and the anonymizer calls it per field.
public enum ByteSearch {
    /// The index of the first `byte` in `bytes[start...]`.
    @inlinable @inline(__always)
    public static func firstIndex(of byte: UInt8, in bytes: Span<UInt8>, from start: Int = 0) -> Int? {
        guard start >= 0, start < bytes.count else { return nil }
        return bytes.withUnsafeBytes { bytes in
            let found = logward_find_byte(bytes.baseAddress! + start, bytes.count - start, byte)
            return found < 0 ? nil : start + found
        }
    }

    /// How many times `byte` occurs in `bytes`: memchr over a long run (a chunk's newlines, counted when an archive
    /// file is read back).
    public static func count(of byte: UInt8, in bytes: Span<UInt8>) -> Int {
        bytes.withUnsafeBytes { bytes in
            guard let base = bytes.baseAddress else { return 0 }
            var found = 0
            var offset = 0
            while offset < bytes.count, let hit = memchr(base + offset, Int32(byte), bytes.count - offset) {
                found += 1
                offset = base.distance(to: UnsafeRawPointer(hit)) + 1
            }
            return found
        }
    }
}
