import Testing
import LogWard

/// The byte operations on a line's view (`Span+Bytes.swift`) against the same operations on an array, on every
/// sub-view of a few texts: empty views, a byte at either end, a range that ends at the view's end. (Results are
/// taken into locals first: `#expect` cannot hold a view.)
@Suite struct SpanBytesTests {
    static let texts = ["", "a", "GET /a?b=c&d=e HTTP/1.1", "::ffff:192.0.2.1", "Oscar@Example.COM", "aaaa"]

    @Test(arguments: texts)
    func searchesAgreeWithTheArrays(text: String) {
        let bytes = Array(text.utf8)
        let whole = bytes.span
        for start in 0...bytes.count {
            for end in start...bytes.count {
                let view = whole.extracting(start..<end)
                let slice = Array(bytes[start..<end])
                for byte in Set(bytes + [UInt8(ascii: "#")]) {
                    let contains = view.contains(byte), last = view.lastIndex(of: byte)
                    #expect(contains == slice.contains(byte))
                    #expect(last == slice.lastIndex(of: byte))
                    for from in 0...slice.count {
                        let first = view.firstIndex(of: byte, from: from)
                        #expect(first == slice[from...].firstIndex(of: byte))
                    }
                    // Within a range of the whole view, counted from its start.
                    let firstIn = whole.firstIndex(of: byte, in: start..<end), lastIn = whole.lastIndex(of: byte, in: start..<end)
                    #expect(firstIn == bytes[start..<end].firstIndex(of: byte))
                    #expect(lastIn == bytes[start..<end].lastIndex(of: byte))
                }
                let first = view.first, last = view.last, copied = Array(view)
                let decoded = String(decoding: view, as: UTF8.self), lowered = view.map { $0 | 0x20 }
                let noColon = view.allSatisfy { $0 != UInt8(ascii: ":") }, hasAt = view.contains { $0 == UInt8(ascii: "@") }
                #expect(first == slice.first)
                #expect(last == slice.last)
                #expect(copied == slice)
                #expect(decoded == String(decoding: slice, as: UTF8.self))
                #expect(lowered == slice.map { $0 | 0x20 })
                #expect(noColon == slice.allSatisfy { $0 != UInt8(ascii: ":") })
                #expect(hasAt == slice.contains(UInt8(ascii: "@")))
            }
        }
    }

    @Test func comparisons() {
        let line = Array("GET /index.html HTTP/1.1".utf8)
        let method = line.span.extracting(0..<3)
        let results = [
            method.elementsEqual(Array("GET".utf8)), method.elementsEqual("GET".utf8), method.elementsEqual(Array("GET".utf8).span),
            !method.elementsEqual(Array("GETS".utf8)), !method.elementsEqual(Array("PUT".utf8)),
            line.span.extracting(3..<3).elementsEqual([UInt8]()),
            line.span.starts(with: Array("GET /".utf8)), !line.span.starts(with: Array("GET /index.html HTTP/1.1 ".utf8)),
            line.span.starts(with: []),
        ]
        #expect(results == Array(repeating: true, count: results.count))
    }

    /// A field's range: where its bytes are, empty when the field is absent.
    @Test func aFieldSpansRangeIsEmptyWhenAbsent() {
        let line = Array("192.0.2.1 - -".utf8)
        let client = Array(line.span.extracting(FieldSpan(start: 0, end: 9).range))
        let absent = line.span.extracting(FieldSpan.none.range).count
        let dash = FieldSpan(start: 10, end: 11).isDash(in: line.span), notDash = FieldSpan(start: 0, end: 1).isDash(in: line.span)
        #expect(client == Array("192.0.2.1".utf8))
        #expect(absent == 0)
        #expect(dash)
        #expect(!notDash)
    }
}
