import Foundation
import Testing
import LogWard

/// Every time field Apache and nginx write is read as the line's time: 2015-05-17T10:05:03Z is 1431857103.
@Suite struct TimeFieldTests {
    static let cases: [(format: String, time: String, epoch: Int64)] = [
        ("%h [%{%Y-%m-%d %H:%M:%S}t] %>s", "2015-05-17 10:05:03", 1_431_857_103),
        ("%h [%{%Y-%m-%dT%H:%M:%S%z}t] %>s", "2015-05-17T12:05:03+0200", 1_431_857_103),
        // Apache's documented example: a time, its milliseconds, and its offset in three fields.
        ("%h [%{%d/%b/%Y %T}t.%{msec_frac}t %{%z}t] %>s", "17/May/2015 06:05:03.123 -0400", 1_431_857_103),
        ("%h [%{%z}t %{%d/%b/%Y %T}t] %>s", "-0400 17/May/2015 06:05:03", 1_431_857_103),
        ("%h [%{%d/%b/%Y %T}t.%{msec_frac}t %{%z}t] %>s", "17/May/2015 10:05:03.123 +0000", 1_431_857_103),
        ("%h [%{%a, %d %b %Y %H:%M:%S %Z}t] %>s", "Sun, 17 May 2015 10:05:03 GMT", 1_431_857_103),
        ("%h [%{%A %B %e %I:%M:%S %p %Y}t] %>s", "Sunday May 17 10:05:03 AM 2015", 1_431_857_103),
        ("%h [%{%D %R}t] %>s", "05/17/15 10:05", 1_431_857_100),
        ("%h [%{%Y %j %T}t] %>s", "2015 137 10:05:03", 1_431_857_103),
        ("%h [%{%s}t] %>s", "1431857103", 1_431_857_103),
        ("%h [%{sec}t] %>s", "1431857103", 1_431_857_103),
        ("%h [%{msec}t] %>s", "1431857103123", 1_431_857_103),
        ("%h [%{usec}t] %>s", "1431857103123456", 1_431_857_103),
        ("%h [%{begin:sec}t] %>s", "1431857103", 1_431_857_103),
        ("%h [%{end:%Y-%m-%d %H:%M:%S}t] %>s", "2015-05-17 10:05:03", 1_431_857_103),
        ("%h [%{begin:%d/%b/%Y:%H:%M:%S %z}t] %>s", "17/May/2015:10:05:03 +0000", 1_431_857_103),
        ("$remote_addr [$msec] $status", "1431857103.123", 1_431_857_103),
        ("$remote_addr [$time_iso8601] $status", "2015-05-17T10:05:03+00:00", 1_431_857_103),
    ]

    @Test(arguments: cases)
    func theTimeFieldIsTheLinesTime(format: String, time: String, epoch: Int64) throws {
        let compiled = try LogFormat(format)
        #expect(compiled.hasTime)
        let (record, reason) = parseLine(Array("192.0.2.1 [\(time)] 200".utf8), format: compiled)
        #expect(reason == nil, "\(format)")
        #expect(record?.timestamp == epoch, "\(format)")
    }

    static let rejected: [(format: String, time: String)] = [
        ("%h [%{%Y-%m-%d %H:%M:%S}t] %>s", "2015-02-30 10:05:03"),
        ("%h [%{%Y-%m-%d %H:%M:%S}t] %>s", "2015-05-17 25:05:03"),
        ("%h [%{sec}t] %>s", "14318x7103"),
        ("%h [%{%d/%b/%Y %T}t.%{msec_frac}t %{%z}t] %>s", "17/May/2015 10:05:03.12 +0000"),
        ("%h [%{%a, %d %b %Y %H:%M:%S %Z}t] %>s", "Sun, 17 May 2015 10:05:03 CST"),
        ("$remote_addr [$msec] $status", "1431857103.x"),
    ]

    @Test(arguments: rejected)
    func aTimeThatIsNoTimeIsRejected(format: String, time: String) throws {
        let (_, reason) = parseLine(Array("192.0.2.1 [\(time)] 200".utf8), format: try LogFormat(format))
        #expect(reason == .badTimestamp)
    }

    @Test func formatsWithoutAWholeTimeSayso() throws {
        #expect(try LogFormat("%h [%{%z}t] %>s").hasTime == false)
        #expect(try LogFormat("%h [%{msec_frac}t] %>s").hasTime == false)
        #expect(try LogFormat("%h %>s %b").hasTime == false)
        #expect(throws: FormatError.badTimeFormat("%Y %Q", "%Q is not a strftime conversion logward reads")) {
            try LogFormat("%h [%{%Y %Q}t]")
        }
    }

    /// `check` shows the time range of such a log, and statistics date its lines by it, not by the clock.
    @Test func checkAndStatisticsUseTheTimeField() throws {
        let directory = try TemporaryDirectory()
        let log = try directory.write("iso.log", """
            192.0.2.1 [2015-05-17 10:05:03] "GET / HTTP/1.1" 200 5
            192.0.2.2 [2015-05-18 11:00:00] "GET /a HTTP/1.1" 200 7

            """)
        let format = #"%h [%{%Y-%m-%d %H:%M:%S}t] "%r" %>s %b"#
        let check = try CommandRunner.run(["check", "--format", format, "--json", log])
        #expect(check.status == 0, "\(check.stderr)")
        #expect(check.stdout.contains("2015-05-17T10:05:03Z") && check.stdout.contains("2015-05-18T11:00:00Z"), "\(check.stdout)")
        let stats = try CommandRunner.run(["stats", "--format", format, "--policy", "music123-2003", "--keys", directory.path("keys"),
                                           "--quiet", "--sqlite", directory.path("s.sqlite"), log])
        #expect(stats.status == 0, "\(stats.stderr)")
        #expect(try StatsStore(path: directory.path("s.sqlite")).daily().map(\.day) == ["2015-05-17", "2015-05-18"])

        let untimed = try CommandRunner.run(["stats", "--format", #"%h "%r" %>s %b"#, "--policy", "music123-2003",
                                             "--keys", directory.path("keys"), "--sqlite", directory.path("t.sqlite"), log])
        #expect(untimed.status == 2)
        #expect(untimed.stderr.contains("the log format has no time field"), "\(untimed.stderr)")
    }
}
