import FuzzSupport
import LogWard
#if canImport(Glibc)
import Glibc
#endif

// libFuzzer target: arbitrary bytes as an access log with every field class (virtual host, client, user, request,
// referrer, user agent, forwarded-for, credential and other headers), anonymized under one policy of `rules/`
// (the first byte picks it, one of three formats, one worker or two, and whether statistics are counted too) with
// rejected lines scrubbed: the identifier scanner, the URL, query, path and header rewriters, the scrubber, the
// batches and the statistics on hostile bytes. Every line is written or rejected, and the output holds one line per
// line written or scrubbed.

nonisolated(unsafe) private let input = FuzzInput()
nonisolated(unsafe) private let workspace = FuzzWorkspace()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzAnonymizer(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    guard size > 1 else { return 0 }
    let bytes = UnsafeRawBufferPointer(start: data, count: size)
    input.set(UnsafeRawBufferPointer(rebasing: bytes[1...]))
    // The first byte: its low three bits pick the policy, the next one two workers (batches) instead of one (lines
    // where they are), the next three the format, the high bit statistics.
    let policies = workspace.rules.policies
    let choice = try! PolicyChoice(set: workspace.rules, forcedPolicy: policies[Int(bytes[0] & 0x07) % policies.count].id)
    let format = workspace.formats[Int((bytes[0] >> 4) & 0x07) % workspace.formats.count]
    var runner = PassRunner(scan: ScanOptions(format: format, maximumLineLength: 4096, readAhead: false),
                            choice: choice, pool: PseudonymizerPool(keys: workspace.keys))
    runner.onReject = .scrub
    runner.workers = bytes[0] & 0x08 != 0 ? 2 : 1
    // Statistics: the path normalizer, the agent and referrer readers, the day accumulators and the SQLite store.
    if bytes[0] & 0x80 != 0 {
        unlink(workspace.statsPath)
        runner.statsSinks = StatsSinks(sqlite: workspace.statsPath)
    }
    do {
        let output = try LogOutput(path: workspace.outputPath)
        let report = try runner.run(files: [input.path], output: output).files[0]
        try output.commit()
        precondition(report.lines == report.written + report.rejected, "lines unaccounted for")
        precondition(report.scrubbed <= report.rejected, "more lines scrubbed than rejected")
        let written = try workspace.outputLineCount()
        precondition(written == report.written + report.scrubbed, "\(written) lines out for \(report.written) + \(report.scrubbed)")
    } catch {
        preconditionFailure("the pass threw: \(error)")
    }
    return 0
}

/// The rules, keys and output file every input shares.
final class FuzzWorkspace {
    let rules: PolicySet
    let keys: KeyStore
    /// Every field class, and the request's parts as separate fields (path, query, nginx's `$request_uri` and
    /// `$args`), so each part of the URL rewriter is reached.
    let formats: [LogFormat]
    let outputPath: String
    let statsPath: String

    init() {
        let directory = (access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp") + "/logward-fuzz-anonymizer-\(getpid())"
        mkdir(directory, 0o700)
        rules = try! RulesLoader.load(directory: "rules")
        keys = try! KeyStore(directory: directory + "/keys")
        formats = [
            // The format of fixtures/planted/freetext.log, whose lines seed the corpus.
            #"%v %h %l %u %t "%r" %>s %b "%{Referer}i" "%{User-Agent}i" "%{X-Forwarded-For}i" "%{Authorization}i" "%{Set-Cookie}o" "%{Accept-Language}i" "%{X-Debug}i""#,
            #"%v %h %l %u %t "%m %U%q %H" %>s %b "%{Referer}i" "%{User-Agent}i" "%{Cookie}i""#,
            #"$host $remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent" "$http_x_forwarded_for" "$request_uri" "$args" $upstream_addr"#,
        ].map { try! LogFormat($0) }
        outputPath = directory + "/out.log"
        statsPath = directory + "/stats.sqlite"
    }

    func outputLineCount() throws -> Int {
        guard let file = fopen(outputPath, "r") else { return -1 }
        defer { fclose(file) }
        var count = 0
        while true {
            let byte = fgetc(file)
            if byte == EOF { break }
            if byte == 0x0A { count += 1 }
        }
        return count
    }
}

#if !FUZZING
@main struct Stub { static func main() { print("build with `make fuzz` (swift build --sanitize=fuzzer -Xswiftc -DFUZZING)") } }
#endif
