import FuzzSupport
import LogWard

// libFuzzer target: arbitrary bytes as a log file (gzip when they start with its magic, multi-member or not).
// Every input must be read to its end or fail with an InputError; the lines the splitter delivers must
// account for every decoded byte. Built by `make fuzz` (`--sanitize=fuzzer`); a normal build gets a stub main.

nonisolated(unsafe) private let input = FuzzInput()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzGzipReader(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    input.set(UnsafeRawBufferPointer(start: data, count: size))
    // Differential: ISA-L and zlib agree on whether an input fails, and on a sound input's every line. On damaged
    // input each decodes as far as its own checks let it (zlib refuses some Huffman tables igzip accepts), so the
    // lines before the damage may differ; a damaged file is refused whole either way (exit 3).
    var checks: [FileCheck] = []
    for codec in GzipCodec.allCases {
        var options = ScanOptions(format: .combined, maximumLineLength: 4096, readAhead: false)
        options.chunkSize = 4096
        options.codec = codec
        var collector = CheckCollector(path: input.path)
        let outcome = LogScanner.scan(path: input.path, options: options, handler: &collector)
        let check = collector.finished(with: outcome)
        // Nothing lost: every line the splitter counted was parsed or rejected.
        precondition(check.parsed + check.rejected == check.lines, "lines unaccounted for")
        checks.append(check)
    }
    precondition((checks[0].error == nil) == (checks[1].error == nil), "one library failed where the other did not")
    if checks[0].error == nil {
        precondition(checks[0].lines == checks[1].lines && checks[0].parsed == checks[1].parsed,
                     "zlib and ISA-L read different lines: \(checks[0].lines)/\(checks[0].parsed) against \(checks[1].lines)/\(checks[1].parsed)")
    }
    return 0
}

#if !FUZZING
@main struct Stub { static func main() { print("build with `make fuzz` (swift build --sanitize=fuzzer -Xswiftc -DFUZZING)") } }
#endif
