import Foundation
import Testing
@testable import LogWard

/// `check` on the pass engine's workers must report exactly what the line-by-line collector reports: counts, the
/// first line numbers of each rejection, the first rejected line's diagnosis, trailing data, time span, sites.
@Suite struct CheckPassTests {
    /// The line-by-line reference: one `CheckCollector` sees every line in order.
    static func lineByLine(_ path: String, _ options: ScanOptions) -> FileCheck {
        var collector = CheckCollector(path: path, format: options.format)
        let outcome = LogScanner.scan(path: path, options: options, handler: &collector)
        return collector.finished(with: outcome)
    }

    /// 400 vhost lines over many small batches: a bad status on every 37th line, an empty line every 53rd, trailing
    /// data on every 41st, times out of order, three sites. The first examples come from the first batches only.
    @Test(arguments: [1, 2, 3])
    func manyBatchesReportWhatOneCollectorReports(workers: Int) throws {
        let directory = try TemporaryDirectory()
        var text = ""
        var badStatus: [Int] = []
        var empty: [Int] = []
        var trailing: [Int] = []
        var sites: [String: Int] = [:]
        for index in 1...400 {
            let site = ["a.example", "B.example", "c.example"][index % 3]
            let hour = (index * 7) % 24
            if index % 53 == 0 {
                empty.append(index)
                text += "\n"
                continue
            }
            let status = index % 37 == 0 ? "2x0" : "200"
            if index % 37 == 0 { badStatus.append(index) }
            let extra = index % 41 == 0 && index % 37 != 0 ? " extra" : ""
            if !extra.isEmpty { trailing.append(index) }
            if status == "200" { sites[site.lowercased(), default: 0] += 1 }
            text += "\(site):80 192.0.2.\(index % 250) - - [0\(1 + index % 3)/Mar/2024:\(hour < 10 ? "0" : "")\(hour):00:00 +0000] "
                + "\"GET /p/\(index) HTTP/1.1\" \(status) 5 \"-\" \"curl/8\"\(extra)\n"
        }
        let path = try directory.write("vhost.log", text)
        var options = ScanOptions(format: try LogFormat("vhost_combined"))
        options.chunkSize = 1024
        let reference = Self.lineByLine(path, options)
        let check = try FileChecker.check(path: path, options: options, workers: workers, batchBytes: 600)
        #expect(check == reference)
        #expect(check.lines == 400)
        #expect(check.rejections.sorted == [RejectionTally.Entry(reason: .badStatus, count: badStatus.count, firstLines: Array(badStatus.prefix(5))),
                                            RejectionTally.Entry(reason: .emptyLine, count: empty.count, firstLines: Array(empty.prefix(5)))])
        #expect(check.trailingLines == trailing.count && check.firstTrailingLines == Array(trailing.prefix(5)))
        #expect(check.mismatch?.line == 37)
        #expect(check.parsed == 400 - badStatus.count - empty.count)
        #expect(check.sites == sites && sites.count == 3)
    }

    /// Real logs: gzip, multi-member, a damaged gzip (the lines before the damage counted, the error kept), latin-1.
    @Test(arguments: ["elastic-head-200.log.gz", "elastic-head-200-multi-member.log.gz", "elastic-head-200-truncated.log.gz",
                      "elastic-head-200-bad-crc.log.gz", "logs/advertools-latin1-gzip-tail-200.log"])
    func realLogsReportWhatOneCollectorReports(name: String) throws {
        let path = Fixtures.path(name)
        var options = ScanOptions()
        options.chunkSize = 4096
        let reference = Self.lineByLine(path, options)
        for workers in [1, 2] {
            #expect(try FileChecker.check(path: path, options: options, workers: workers, batchBytes: 2048) == reference)
        }
        #expect(reference.lines > 0)
    }
}
