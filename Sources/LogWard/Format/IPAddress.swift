import LogWardInput
/// An IPv4 or IPv6 address parsed from log bytes, with prefix truncation and canonical text (RFC 5952).
public enum IPAddress: Hashable, Sendable, CustomStringConvertible {
    case v4(UInt32)
    case v6(high: UInt64, low: UInt64)

    // MARK: Parsing

    public static func parse(_ text: String) -> IPAddress? {
        let bytes = Array(text.utf8)
        return parse(bytes.span)
    }

    /// An IPv4 dotted quad or an IPv6 address (an optional `%zone` is not accepted: logs never carry one).
    package static func parse(_ bytes: Span<UInt8>) -> IPAddress? {
        if let v4 = parseV4(bytes) { return .v4(v4) }
        return parseV6(bytes)
    }

    package static func parseV4(_ bytes: Span<UInt8>) -> UInt32? {
        guard bytes.count >= 7, bytes.count <= 15 else { return nil }
        var value: UInt32 = 0
        var octet: UInt32 = 0
        var digitsInOctet = 0
        var dots = 0
        for byteIndex in bytes.indices {
            let byte = bytes[byteIndex]
            if byte == UInt8(ascii: ".") {
                guard digitsInOctet > 0, dots < 3 else { return nil }
                value = value << 8 | octet
                octet = 0
                digitsInOctet = 0
                dots += 1
            } else {
                let digit = byte &- 0x30
                guard digit < 10, digitsInOctet < 3 else { return nil }
                // A leading zero ("010") is ambiguous (octal to some parsers): not an address.
                if digitsInOctet == 1 && octet == 0 { return nil }
                octet = octet * 10 + UInt32(digit)
                digitsInOctet += 1
                guard octet <= 255 else { return nil }
            }
        }
        guard dots == 3, digitsInOctet > 0 else { return nil }
        return value << 8 | octet
    }

    package static func parseV6(_ bytes: Span<UInt8>) -> IPAddress? {
        guard bytes.count >= 2, bytes.count <= 45 else { return nil }
        var groups = InlineArray<8, UInt16>(repeating: 0)
        var count = 0
        var gap: Int?  // group index where `::` stands
        var index = 0
        let colon = UInt8(ascii: ":")
        if bytes[0] == colon {
            guard bytes[1] == colon else { return nil }
            gap = 0
            index = 2
            if index == bytes.count { return .v6(high: 0, low: 0) }
        }
        while index < bytes.count {
            // An embedded IPv4 tail (`::ffff:192.0.2.1`) takes the last two groups.
            var end = index
            while end < bytes.count, bytes[end] != colon { end += 1 }
            let piece = bytes.extracting(index..<end)
            if end == bytes.count, piece.contains(UInt8(ascii: ".")) {
                guard count <= 6, let v4 = parseV4(piece) else { return nil }
                groups[count] = UInt16(v4 >> 16)
                groups[count + 1] = UInt16(v4 & 0xFFFF)
                count += 2
                index = end
                break
            }
            guard piece.count >= 1, piece.count <= 4, count < 8 else { return nil }
            var value: UInt16 = 0
            for byteIndex in piece.indices {
                let byte = piece[byteIndex]
                guard let nibble = HexDigit.value(byte) else { return nil }
                value = value << 4 | UInt16(nibble)
            }
            groups[count] = value
            count += 1
            index = end
            if index < bytes.count {
                index += 1  // the colon
                if index < bytes.count, bytes[index] == colon {
                    guard gap == nil else { return nil }
                    gap = count
                    index += 1
                } else if index == bytes.count {
                    return nil  // a single trailing colon
                }
            }
        }
        if let gap {
            guard count < 8 else { return nil }
            // Move the groups after `::` to the end, zeros in between.
            let tailCount = count - gap
            for offset in stride(from: tailCount - 1, through: 0, by: -1) {
                let value = groups[gap + offset]
                groups[gap + offset] = 0
                groups[8 - tailCount + offset] = value
            }
        } else if count != 8 {
            return nil
        }
        var high: UInt64 = 0
        var low: UInt64 = 0
        for position in 0..<4 { high = high << 16 | UInt64(groups[position]) }
        for position in 4..<8 { low = low << 16 | UInt64(groups[position]) }
        return .v6(high: high, low: low)
    }

    // MARK: Properties

    /// The IPv4 address inside an IPv4-mapped IPv6 address (`::ffff:a.b.c.d`).
    public var mappedIPv4: UInt32? {
        if case .v6(let high, let low) = self, high == 0, low >> 32 == 0xFFFF { return UInt32(truncatingIfNeeded: low) }
        return nil
    }

    /// Keeps the first `bits` of the address and zeroes the rest.
    public func truncated(ipv4Bits: Int, ipv6Bits: Int) -> IPAddress {
        switch self {
        case .v4(let value):
            return .v4(ipv4Bits >= 32 ? value : ipv4Bits <= 0 ? 0 : value & ~(UInt32.max >> UInt32(ipv4Bits)))
        case .v6(let high, let low):
            let bits = max(0, min(128, ipv6Bits))
            let highMask: UInt64 = bits >= 64 ? .max : bits == 0 ? 0 : ~(UInt64.max >> UInt64(bits))
            let lowMask: UInt64 = bits <= 64 ? 0 : bits == 128 ? .max : ~(UInt64.max >> UInt64(bits - 64))
            return .v6(high: high & highMask, low: low & lowMask)
        }
    }

    // MARK: Text

    /// Appends the canonical text (dotted quad, or RFC 5952 for IPv6) without building a String: built on the
    /// stack and appended in one piece (an array appended to byte by byte checked its uniqueness on every byte).
    /// Inlinable, so the anonymizer's layer specializes it for its buffer (else a generic call per address).
    @inlinable
    public func append<Out: ByteAppendable & ~Copyable>(to out: inout Out) {
        var text = InlineText()
        appendText(to: &text)
        text.withBytes { out.appendBytes($0) }
    }

    @usableFromInline
    func appendText(to out: inout InlineText) {
        switch self {
        case .v4(let value):
            for shift in stride(from: 24, through: 0, by: -8) {
                Self.appendDecimal(UInt8(truncatingIfNeeded: value >> UInt32(shift)), to: &out)
                if shift > 0 { out.append(UInt8(ascii: ".")) }
            }
        case .v6(let high, let low):
            @inline(__always) func group(_ index: Int) -> UInt16 {
                UInt16(truncatingIfNeeded: (index < 4 ? high : low) >> UInt64(48 - 16 * (index & 3)))
            }
            // RFC 5952: compress the longest run of two or more zero groups, the first one on a tie.
            var bestStart = -1
            var bestLength = 1
            var position = 0
            while position < 8 {
                if group(position) == 0 {
                    var end = position
                    while end < 8, group(end) == 0 { end += 1 }
                    if end - position > bestLength {
                        bestStart = position
                        bestLength = end - position
                    }
                    position = end
                } else {
                    position += 1
                }
            }
            func appendGroups(_ range: Range<Int>, to out: inout InlineText) {
                for index in range {
                    if index > range.lowerBound { out.append(UInt8(ascii: ":")) }
                    Self.appendHex(group(index), to: &out)
                }
            }
            if bestStart < 0 {
                appendGroups(0..<8, to: &out)
            } else {
                appendGroups(0..<bestStart, to: &out)
                out.append(UInt8(ascii: ":"))
                out.append(UInt8(ascii: ":"))
                appendGroups((bestStart + bestLength)..<8, to: &out)
            }
        }
    }

    private static func appendDecimal<Out: ByteAppendable & ~Copyable>(_ value: UInt8, to out: inout Out) {
        if value >= 100 { out.append(0x30 + value / 100) }
        if value >= 10 { out.append(0x30 + value / 10 % 10) }
        out.append(0x30 + value % 10)
    }

    /// Lower-case hex without leading zeros.
    private static func appendHex<Out: ByteAppendable & ~Copyable>(_ value: UInt16, to out: inout Out) {
        var shift = 12
        while shift > 0 && (value >> UInt16(shift)) == 0 { shift -= 4 }
        while shift >= 0 {
            let nibble = UInt8(truncatingIfNeeded: value >> UInt16(shift)) & 0xF
            out.append(nibble < 10 ? 0x30 + nibble : 0x61 + nibble - 10)
            shift -= 4
        }
    }

    public var description: String {
        var text: [UInt8] = []
        append(to: &text)
        return String(decoding: text, as: UTF8.self)
    }
}
