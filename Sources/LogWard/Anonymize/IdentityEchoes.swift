import LogWardPolicy

/// A client's own address, host name or user name repeated elsewhere in its line (`/debug?client_ip=host6965...`,
/// a user name in the path): every echo gets what the field itself got. Echoes are rare, so the common line pays
/// for one search of its own bytes and nothing more.
enum IdentityEchoes {
    /// Shorter values (`-`, `a`) would match inside ordinary words.
    static let minimumLength = 3

    /// Rewrites, in the anonymized line starting at `lineStart`, each echo of an identity's input bytes with the
    /// bytes its field was rewritten to, in one pass (so no rewrite shifts the ranges of another). The fields
    /// themselves and the `sparing` ranges (relative to `lineStart`) are left alone.
    static func rewrite(_ identities: [(input: FieldSpan, output: Range<Int>)], line: Span<UInt8>, lineStart: Int,
                        sparing checked: [Range<Int>] = [], in output: inout LineBuffer) {
        let written: [UInt8] = output.withBytes { Array($0.extracting(lineStart...)) }
        var spared = checked
        var rewrites: [(needle: [UInt8], replacement: [UInt8])] = []
        for identity in identities {
            let own = (identity.output.lowerBound - lineStart)..<(identity.output.upperBound - lineStart)
            spared.append(own)
            let needle = Array(line.extracting(identity.input.range))
            let replacement = Array(written[own])
            // Kept as it is: its echoes may stay too.
            if replacement != needle { rewrites.append((needle, replacement)) }
        }
        guard !rewrites.isEmpty else { return }
        output.truncate(to: lineStart)
        output.append(contentsOf: replacing(rewrites, in: written, sparing: spared))
    }

    /// `text` with every whole-token occurrence (case-insensitive) of a needle outside `spared` replaced.
    static func replacing(_ rewrites: [(needle: [UInt8], replacement: [UInt8])], in text: [UInt8],
                          sparing spared: [Range<Int>]) -> [UInt8] {
        var result: [UInt8] = []
        result.reserveCapacity(text.count)
        var index = 0
        scan: while index < text.count {
            if !spared.contains(where: { $0.contains(index) }), index == 0 || !isTokenByte(text[index - 1]) {
                for (needle, replacement) in rewrites where index + needle.count <= text.count && matches(needle, text, at: index)
                    && (index + needle.count == text.count || !isTokenByte(text[index + needle.count])) {
                    result.append(contentsOf: replacement)
                    index += needle.count
                    continue scan
                }
            }
            result.append(text[index])
            index += 1
        }
        return result
    }

    /// The host names of a forwarded-for list (`client.example.net, 10.0.0.1`) echoed elsewhere in the line, each
    /// with where its rewritten form stands in the output (the same entry of the rewritten list, or the whole
    /// field when the list became `-`). Addresses need no search: the detectors find them anywhere.
    static func forwardedHostNames(_ span: FieldSpan, line: Span<UInt8>, output range: Range<Int>, in output: borrowing LineBuffer,
                                   into identities: inout [(input: FieldSpan, output: Range<Int>)]) {
        let value = line.extracting(span.range)
        // Most lists are addresses only: no letter but hex digits and `unknown`, no search.
        guard value.contains(where: { IdentifierScanner.isLetter($0) && !IdentifierScanner.isHex($0) }) else { return }
        let entries = self.entries(value, base: span.start, strippingPorts: true)
        // Rewritten entries are pseudonyms (`h:...`), prefixes or `-`: no port to strip.
        let rewritten = output.withBytes {
            self.entries($0.extracting(range), base: range.lowerBound, strippingPorts: false)
        }
        for (index, entry) in entries.enumerated() where entry.count >= minimumLength {
            let bytes = line.extracting(entry.range)
            guard ClientAddressKind.classify(bytes) == .hostname, !bytes.elementsEqual("unknown".utf8),
                  EchoScan.occursElsewhere(entry, in: line) else { continue }
            let target = rewritten.count == entries.count ? rewritten[index].start..<rewritten[index].end : range
            identities.append((entry, target))
        }
    }

    /// The entries of a comma-separated list, without spaces (or a port), as spans offset by `base`.
    private static func entries(_ value: Span<UInt8>, base: Int, strippingPorts: Bool) -> [FieldSpan] {
        var spans: [FieldSpan] = []
        var start = 0
        while start <= value.count {
            var end = start
            while end < value.count, value[end] != UInt8(ascii: ",") { end += 1 }
            var first = start
            while first < end, value[first] == UInt8(ascii: " ") { first += 1 }
            var last = end
            while last > first, value[last - 1] == UInt8(ascii: " ") { last -= 1 }
            let address = strippingPorts ? FieldRewriter.withoutPort(value.extracting(first..<last)) : 0..<(last - first)
            spans.append(FieldSpan(start: base + first + address.lowerBound, end: base + first + address.upperBound))
            start = end + 1
        }
        return spans
    }

    private static func matches(_ needle: [UInt8], _ text: [UInt8], at index: Int) -> Bool {
        for offset in 0..<needle.count where lower(text[index + offset]) != lower(needle[offset]) { return false }
        return true
    }

    private static func lower(_ byte: UInt8) -> UInt8 { byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte }

    /// Bytes that continue a token: `alice` inside `malice` or `10.1.2.3` inside `110.1.2.34` is no echo.
    private static func isTokenByte(_ byte: UInt8) -> Bool {
        IdentifierScanner.isWordByte(byte) || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "-")
    }
}

/// The fast test: does a field's value occur anywhere in its line but at the field itself?
enum EchoScan {
    static func occursElsewhere(_ span: FieldSpan, in line: Span<UInt8>) -> Bool {
        guard span.count > 0 else { return false }
        let first = line[span.start]
        let firstUpper = first >= 0x61 && first <= 0x7A ? first & ~0x20 : first
        let firstLower = first >= 0x41 && first <= 0x5A ? first | 0x20 : first
        var from = 0
        while from < line.count {
            // Candidates are found by their first byte in either case, then compared whole.
            let lowerAt = line.firstIndex(of: firstLower, from: from)
            let upperAt = firstUpper == firstLower ? nil : line.firstIndex(of: firstUpper, from: from)
            let position = min(lowerAt ?? .max, upperAt ?? .max)
            if position == .max { return false }
            if position != span.start, position + span.count <= line.count, equalIgnoringCase(line, position, span) {
                return true
            }
            from = position + 1
        }
        return false
    }

    private static func equalIgnoringCase(_ line: Span<UInt8>, _ position: Int, _ span: FieldSpan) -> Bool {
        for offset in 0..<span.count {
            let a = line[position + offset], b = line[span.start + offset]
            if a != b, (a | 0x20) != (b | 0x20) || !IdentifierScanner.isLetter(a) { return false }
        }
        return true
    }
}
