import LogWardInput
/// Apache writes `"` and `\` inside quoted fields as `\"` and `\\`, and control or non-ASCII bytes as `\xHH`;
/// nginx writes `\xHH` for all of them. Decoding gives the bytes the client sent.
public enum ApacheEscape {
    package static func unescape(_ bytes: Span<UInt8>) -> [UInt8] {
        var result: [UInt8] = []
        result.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            guard byte == UInt8(ascii: "\\"), index + 1 < bytes.count else {
                result.append(byte)
                index += 1
                continue
            }
            let next = bytes[index + 1]
            switch next {
            case UInt8(ascii: "x") where index + 3 < bytes.count:
                if let high = HexDigit.value(bytes[index + 2]), let low = HexDigit.value(bytes[index + 3]) {
                    result.append(high << 4 | low)
                    index += 4
                } else {
                    result.append(byte)
                    index += 1
                }
            case UInt8(ascii: "n"): result.append(0x0A); index += 2
            case UInt8(ascii: "t"): result.append(0x09); index += 2
            case UInt8(ascii: "r"): result.append(0x0D); index += 2
            case UInt8(ascii: "\""), UInt8(ascii: "\\"): result.append(next); index += 2
            default:
                result.append(byte)
                index += 1
            }
        }
        return result
    }
}
