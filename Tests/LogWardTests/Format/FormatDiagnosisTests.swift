import Foundation
import Testing
import LogWard

/// Formats pasted from a config, list-valued nginx variables, and what `check` says when the format is wrong.
@Suite struct FormatDiagnosisTests {
    static let combined = #"%h %l %u %t "%r" %>s %b "%{Referer}i" "%{User-Agent}i""#

    @Test(arguments: [
        (#"LogFormat "%h %l %u %t \"%r\" %>s %b \"%{Referer}i\" \"%{User-Agent}i\"" combined"#, "combined"),
        (#""%h %l %u %t \"%r\" %>s %b \"%{Referer}i\" \"%{User-Agent}i\"""#, "combined"),
        ("""
        log_format main '$remote_addr - $remote_user [$time_local] "$request" '
                        '$status $body_bytes_sent "$http_referer" '
                        '"$http_user_agent"';
        """, "nginx"),
        ("""
        '$remote_addr - $remote_user [$time_local] "$request" '
            '$status $body_bytes_sent "$http_referer" "$http_user_agent"'
        """, "nginx"),
        ("log_format combined escape=default '$remote_addr - $remote_user [$time_local] \"$request\" $status $body_bytes_sent \"$http_referer\" \"$http_user_agent\"';", "nginx"),
    ])
    func aFormatPastedFromAConfigReadsAsTheFormatInside(pasted: String, preset: String) throws {
        let format = try LogFormat(pasted)
        let expected = try LogFormat(preset)
        #expect(format.leading == expected.leading)
        #expect(format.fields == expected.fields)
        let line = Array(#"192.0.2.1 - - [17/May/2015:10:05:03 +0000] "GET / HTTP/1.1" 200 1 "-" "curl/8""#.utf8)
        #expect(parseLine(line, format: format).1 == nil)
    }

    @Test func aLoneQuotedFieldIsAFormatNotAPaste() throws {
        let format = try LogFormat(#""%{User-Agent}i""#)
        #expect(format.fields.count == 1 && format.fields[0].quoted)
    }

    @Test(arguments: [
        ("0.002 : 0.003", "10.0.0.1:80, 10.0.0.2:80", "502, 200"),
        ("0.002", "10.0.0.1:80", "200"),
        ("0.001, 0.002 : 0.003", "10.0.0.1:80, 10.0.0.2:80 : 10.0.0.3:80", "502, 504 : 200"),
    ])
    func nginxListVariablesAreOneFieldEach(time: String, address: String, status: String) throws {
        let format = try LogFormat(#"$remote_addr [$time_local] $status $upstream_response_time $upstream_addr $upstream_status "$http_user_agent""#)
        let text = #"192.0.2.1 [17/May/2015:10:05:03 +0000] 200 \#(time) \#(address) \#(status) "curl/8""#
        let parser = RecordParser(format: format)
        var record = parser.makeRecord()
        let bytes = Array(text.utf8)
        try bytes.withSpan { line in
            #expect(parser.parse(line, into: &record) == nil)
            func field(_ index: Int) -> String { String(decoding: line.extracting(record.fields[index].range), as: UTF8.self) }
            #expect(field(3) == time)
            #expect(field(4) == address)
            #expect(field(5) == status)
            #expect(field(6) == "curl/8")
            #expect(record.status == 200)
        }
    }

    /// A combined log read as common parses 100%, and `check` says its lines carry more than the format reads.
    @Test func checkNamesTrailingDataAndTheFormatThatReadsItWhole() throws {
        let result = try CommandRunner.run(["check", "--format", "common", "fixtures/elastic-head-200.log"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("trailing data 200 parsed line(s) have fields after the format's last one (first lines: 1, 2, 3, 4, 5)"),
                "\(result.stdout)")
        #expect(result.stdout.contains("the combined or nginx format reads them whole (--format combined)"), "\(result.stdout)")
        let json = try CommandRunner.run(["check", "--format", "common", "--json", "fixtures/elastic-head-200.log"])
        #expect(json.stdout.contains(#""trailingLines" : 200"#), "\(json.stdout)")
    }

    /// A combined log read with a format that wants one more field: where the first line failed, by field and
    /// byte, and what reads it whole.
    @Test func checkLocatesAMismatchAndSuggestsAPreset() throws {
        let directory = try TemporaryDirectory()
        let log = try directory.write("shifted.log", #"192.0.2.1 - - [17/May/2015:10:05:03 +0000] "GET / HTTP/1.1" 200 1 "-" "curl/8""# + "\n")
        let result = try CommandRunner.run(["check", "--format", #"%h %l %u %t "%r" %>s %b "%{Referer}i" "%{User-Agent}i" %D"#, log])
        #expect(result.stdout.contains("line 1: unterminated-quote at field %{User-Agent}i, byte 70; the combined or nginx format reads this line whole (--format combined)"),
                "\(result.stdout)")
        #expect(!result.stdout.contains("curl"))

        let anonymize = try CommandRunner.run(["anonymize", "--format", "nginx_main", "--policy", "music123-2003", "--keys", directory.path("k"),
                                               "-o", "/dev/null", "--max-reject-rate", "1", log])
        #expect(anonymize.stderr.contains("line 1: unterminated-quote at field $http_user_agent, byte 70; --format combined reads this line whole"),
                "\(anonymize.stderr)")
    }
}
