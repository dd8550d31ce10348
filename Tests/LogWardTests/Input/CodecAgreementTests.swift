import Foundation
import Testing
import LogWard

/// Inputs on which the gzip fuzz target found ISA-L and zlib disagreeing. Both refuse each; on a member cut short
/// or damaged where zlib decodes further than igzip, the ISA-L reader hands over what zlib decodes (the same
/// lines). The third has a Huffman table zlib refuses and igzip accepts: igzip decodes 6 bytes more before its own
/// error, and the file is refused either way.
@Suite struct CodecAgreementTests {
    @Test(arguments: [("fuzz/gzip-codecs-disagree.gz", true), ("fuzz/gzip-codecs-disagree-2.gz", true), ("fuzz/gzip-codecs-disagree-3.gz", false)])
    func bothLibrariesRefuseADamagedFileAndRecoverTheSameLines(name: String, sameLines: Bool) throws {
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
        #expect(results[0].failed && results[1].failed, "\(results)")
        guard sameLines else { return }
        #expect(results[0].lines == results[1].lines, "\(results)")
        #expect(results[0].parsed == results[1].parsed, "\(results)")
        #expect(results[0].decoded == results[1].decoded, "\(results)")
    }
}
