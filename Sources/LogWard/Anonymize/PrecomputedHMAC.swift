import Crypto
import LogWardPolicy

/// HMAC-SHA256 (RFC 2104) with the key's inner and outer pads absorbed once, built on swift-crypto's `SHA256`.
/// Same bytes as `HMAC<SHA256>` (the tests compare them on many keys and inputs and pin RFC 4231), without the
/// generic `HMAC` and `DataProtocol` path, which cost four times the hashing itself on short inputs.
package struct PrecomputedHMAC {
    private static let blockSize = SHA256.blockByteCount
    /// SHA-256 states after (key ^ ipad) and (key ^ opad): each code copies them and hashes only its own input.
    private let inner: SHA256
    private let outer: SHA256

    package init(key: SymmetricKey) {
        var block = [UInt8](repeating: 0, count: Self.blockSize)
        key.withUnsafeBytes { keyBytes in
            if keyBytes.count > Self.blockSize {
                var longKey = SHA256()
                longKey.update(bufferPointer: keyBytes)
                longKey.finalize().withUnsafeBytes { digest in
                    for index in 0..<digest.count { block[index] = digest[index] }
                }
            } else {
                for index in 0..<keyBytes.count { block[index] = keyBytes[index] }
            }
        }
        var inner = SHA256()
        var outer = SHA256()
        var pad = block.map { $0 ^ 0x36 }
        pad.withUnsafeBytes { inner.update(bufferPointer: $0) }
        for index in 0..<pad.count { pad[index] = block[index] ^ 0x5C }
        pad.withUnsafeBytes { outer.update(bufferPointer: $0) }
        // The key's bytes leave no copy behind in these buffers.
        for index in 0..<pad.count { pad[index] = 0; block[index] = 0 }
        self.inner = inner
        self.outer = outer
    }

    /// The first 64 bits (big-endian) of HMAC-SHA256(key, prefix || value).
    package func code(prefix: UInt8, value: Span<UInt8>) -> UInt64 {
        var innerHash = inner
        withUnsafeBytes(of: prefix) { innerHash.update(bufferPointer: $0) }
        value.withUnsafeBytes { innerHash.update(bufferPointer: $0) }
        return code(inner: innerHash)
    }

    /// The first 64 bits (big-endian) of HMAC-SHA256(key, message): for callers that build the prefix into the
    /// message, one hash update fewer (each is a call through swift-crypto's copy-on-write context).
    func code(message: Span<UInt8>) -> UInt64 {
        var innerHash = inner
        message.withUnsafeBytes { innerHash.update(bufferPointer: $0) }
        return code(inner: innerHash)
    }

    private func code(inner innerHash: SHA256) -> UInt64 {
        var outerHash = outer
        innerHash.finalize().withUnsafeBytes { outerHash.update(bufferPointer: $0) }
        return outerHash.finalize().withUnsafeBytes { bytes in
            var code: UInt64 = 0
            for index in 0..<8 { code = code << 8 | UInt64(bytes[index]) }
            return code
        }
    }
}
