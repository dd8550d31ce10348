import LogWardPolicy
/// Texts the identifier detectors found nothing in, remembered by their exact bytes (a hash only picks the slot:
/// a collision can never let an identifier through). Direct-mapped and bounded: a new text takes its slot.
struct CleanTextCache {
    private static let slots = 256
    /// Texts longer than this are scanned every time (rare, and a copy would cost more than it saves).
    private static let maximumLength = 512
    private var entries = [[UInt8]](repeating: [], count: CleanTextCache.slots)

    /// The slot from the length and three words of the text (start, middle, end): agents differ in their versions,
    /// which sit there, and the full comparison decides anyway.
    private static func slot(_ text: Span<UInt8>) -> Int {
        var mixed = UInt64(text.count) &* 0x9E37_79B9_7F4A_7C15
        if text.count >= 8 {
            for offset in [0, (text.count - 8) / 2, text.count - 8] {
                mixed = (mixed ^ text.bytes.unsafeLoadUnaligned(fromByteOffset: offset, as: UInt64.self)) &* 0xBF58_476D_1CE4_E5B9
                mixed ^= mixed >> 29
            }
        } else {
            for index in text.indices { mixed = (mixed ^ UInt64(text[index])) &* 0x94D0_49BB_1331_11EB }
        }
        return Int(truncatingIfNeeded: (mixed ^ (mixed >> 32)) & UInt64(slots - 1))
    }

    func contains(_ text: Span<UInt8>) -> Bool {
        guard !text.isEmpty, text.count <= Self.maximumLength else { return false }
        let entry = entries[Self.slot(text)]
        return entry.count == text.count && text.elementsEqual(entry)
    }

    mutating func insert(_ text: Span<UInt8>) {
        guard !text.isEmpty, text.count <= Self.maximumLength else { return }
        entries[Self.slot(text)] = Array(text)
    }
}
