import FuzzSupport
import LogWard

// libFuzzer target: arbitrary bytes as a log file (gzip when they start with its magic, multi-member or not).
// Every input must be read to its end or fail with an InputError; the lines the splitter delivers must
// account for every decoded byte. Built by `make fuzz` (`--sanitize=fuzzer`); a normal build gets a stub main.

nonisolated(unsafe) private let input = FuzzInput()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzGzipReader(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    input.set(UnsafeRawBufferPointer(start: data, count: size))
    var options = ScanOptions(format: .combined, maximumLineLength: 4096, readAhead: false)
    options.chunkSize = 4096
    var collector = CheckCollector(path: input.path)
    let outcome = LogScanner.scan(path: input.path, options: options, handler: &collector)
    let check = collector.finished(with: outcome)
    // Nothing lost: every line the splitter counted was parsed or rejected.
    precondition(check.parsed + check.rejected == check.lines, "lines unaccounted for")
    return 0
}

#if !FUZZING
@main struct Stub { static func main() { print("build with `make fuzz` (swift build --sanitize=fuzzer -Xswiftc -DFUZZING)") } }
#endif
