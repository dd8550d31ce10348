import LogWard

// libFuzzer target: arbitrary text as a rules file. It loads or throws a RulesError naming the file.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRulesLoader(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let text = String(decoding: UnsafeRawBufferPointer(start: data, count: size), as: UTF8.self)
    do {
        let policy = try RulesLoader.parse(text, file: "fuzz.yaml")
        precondition(!policy.id.isEmpty, "a policy without an id")
    } catch let error as RulesError {
        precondition(error.description.hasPrefix("fuzz.yaml"), "an error that does not name the file: \(error)")
    } catch {
        preconditionFailure("not a RulesError: \(error)")
    }
    return 0
}

#if !FUZZING
@main struct Stub { static func main() { print("build with `make fuzz` (swift build --sanitize=fuzzer -Xswiftc -DFUZZING)") } }
#endif
