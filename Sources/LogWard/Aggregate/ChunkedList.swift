import LogWardAnonymize
/// An append-only list in fixed blocks: growing never copies what it holds, so a list of half a million entries
/// never needs room for two copies of itself (an array doubling from 3 to 6 MiB holds 9 for the copy).
package struct ChunkedList<Element> {
    private static var blockShift: Int { 14 }
    private static var blockSize: Int { 1 << blockShift }
    private var blocks: [[Element]] = []
    private(set) var count = 0

    /// Appends `element`; returns its index.
    @inline(__always) @discardableResult
    mutating func append(_ element: Element) -> Int {
        if count & (Self.blockSize - 1) == 0 {
            var block: [Element] = []
            block.reserveCapacity(Self.blockSize)
            blocks.append(block)
        }
        blocks[blocks.count - 1].append(element)
        count += 1
        return count - 1
    }

    @inline(__always)
    subscript(index: Int) -> Element { blocks[index >> Self.blockShift][index & (Self.blockSize - 1)] }
}
