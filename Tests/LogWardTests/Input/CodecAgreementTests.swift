import Foundation
import Testing
@testable import LogWard

/// Inputs on which the gzip fuzz target found ISA-L and zlib disagreeing: both must read the same lines.
@Suite struct CodecAgreementTests {
    @Test(arguments: ["fuzz/gzip-codecs-disagree.gz", "fuzz/gzip-codecs-disagree-2.gz"])
    func bothLibrariesReadTheSameLines(name: String) throws {
        var results: [(lines: Int, parsed: Int, failed: Bool, decoded: Int64)] = []
        for codec in GzipCodec.allCases {
            var options = ScanOptions(format: .combined, maximumLineLength: 4096, readAhead: false)
            options.chunkSize = 4096
            options.codec = codec
            var collector = CheckCollector(path: Fixtures.path(name))
            let outcome = LogScanner.scan(path: Fixtures.path(name), options: options, handler: &collector)
            let check = collector.finished(with: outcome)
            results.append((check.lines, check.parsed, outcome.error != nil, outcome.decodedBytes))
        }
        #expect(results[0].lines == results[1].lines, "\(results)")
        #expect(results[0].parsed == results[1].parsed, "\(results)")
        #expect(results[0].failed == results[1].failed, "\(results)")
        #expect(results[0].decoded == results[1].decoded, "\(results)")
    }
}
