import Foundation
import LogWardAggregate

/// A file's visitor pseudonyms of one site and day as stored in SQLite: sorted 64-bit codes, 8 bytes each,
/// big-endian, so blobs compare and merge without decoding more than they must.
package enum VisitorSetBlob {
    static func encode(_ sortedCodes: [UInt64]) -> Data {
        var data = Data(count: sortedCodes.count * 8)
        data.withUnsafeMutableBytes { bytes in
            for (index, code) in sortedCodes.enumerated() {
                bytes.storeBytes(of: code.bigEndian, toByteOffset: index * 8, as: UInt64.self)
            }
        }
        return data
    }

    package static func decode(_ blob: Data) -> [UInt64] {
        blob.withUnsafeBytes { bytes in
            (0..<(bytes.count / 8)).map { UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: $0 * 8, as: UInt64.self)) }
        }
    }

    /// Distinct codes over several files' sets of the same site and day.
    static func distinctCount(_ blobs: [Data]) -> Int {
        var all: [UInt64] = []
        for blob in blobs { all += decode(blob) }
        all.sort()
        var count = 0
        var previous: UInt64?
        for code in all where code != previous {
            count += 1
            previous = code
        }
        return count
    }
}
