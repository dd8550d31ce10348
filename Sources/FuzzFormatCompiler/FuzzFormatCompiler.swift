import LogWard

// libFuzzer target: arbitrary text as a log format string. It compiles or throws a FormatError; a compiled
// format builds its parser and anonymizer plan.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzFormatCompiler(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let text = String(decoding: UnsafeRawBufferPointer(start: data, count: size), as: UTF8.self)
    do {
        let format = try LogFormat(text)
        precondition(!format.fields.isEmpty, "a format with no field")
        _ = RecordParser(format: format).makeRecord()
        _ = LineAnonymizer(format: format, policies: [], pool: PseudonymizerPool(keys: nil))
        _ = format.hasTime
    } catch is FormatError {
    } catch {
        preconditionFailure("not a FormatError: \(error)")
    }
    return 0
}

#if !FUZZING
@main struct Stub { static func main() { print("build with `make fuzz` (swift build --sanitize=fuzzer -Xswiftc -DFUZZING)") } }
#endif
