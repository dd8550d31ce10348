/// A test's bytes handed to an API that takes a view of them, in the shape the tests had with buffer pointers.
extension Array where Element == UInt8 {
    func withSpan<Result>(_ body: (Span<UInt8>) throws -> Result) rethrows -> Result {
        try body(span)
    }
}
