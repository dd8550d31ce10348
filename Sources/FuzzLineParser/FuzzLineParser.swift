import FuzzSupport
import LogWard

// libFuzzer target: the first line of the input is a log format (Apache or nginx, or a pasted config line),
// the rest are log lines read with it: the splitter, the parser, the time readers and the mismatch diagnosis.
// Every line must be parsed or rejected, and a parsed line's spans must lie inside it.

nonisolated(unsafe) private let input = FuzzInput()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzLineParser(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = UnsafeRawBufferPointer(start: data, count: size)
    guard let newline = bytes.firstIndex(of: 0x0A), newline <= 512 else { return 0 }
    guard let format = try? LogFormat(String(decoding: bytes[..<newline], as: UTF8.self)) else { return 0 }
    input.set(UnsafeRawBufferPointer(rebasing: bytes[(newline + 1)...]))
    var options = ScanOptions(format: format, maximumLineLength: 2048, readAhead: false)
    options.chunkSize = 1024
    var collector = SpanChecker(check: CheckCollector(path: input.path, format: format))
    let outcome = LogScanner.scan(path: input.path, options: options, handler: &collector)
    let check = collector.check.finished(with: outcome)
    precondition(check.parsed + check.rejected == check.lines, "lines unaccounted for")
    return 0
}

/// Checks every parsed record's spans, then counts the line as `check` does.
struct SpanChecker: LineHandler {
    var check: CheckCollector

    mutating func handle(_ record: LogRecord, line: Span<UInt8>, at position: LinePosition) {
        for span in record.fields where span.isPresent {
            precondition(span.start <= span.end && span.end <= line.count, "a span outside its line")
        }
        check.handle(record, line: line, at: position)
    }

    mutating func reject(_ reason: RejectReason, line: Span<UInt8>?, at position: LinePosition) {
        check.reject(reason, line: line, at: position)
    }
}

#if !FUZZING
@main struct Stub { static func main() { print("build with `make fuzz` (swift build --sanitize=fuzzer -Xswiftc -DFUZZING)") } }
#endif
