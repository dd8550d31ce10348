import Testing
import LogWard

@Suite struct TimestampTests {
    // Expected values computed by Python's datetime.strptime(..., '%d/%b/%Y:%H:%M:%S %z').timestamp().
    @Test(arguments: [
        ("10/Oct/2000:13:55:36 -0700", Int64(971_211_336)),
        ("17/May/2015:10:05:03 +0000", 1_431_857_103),
        ("29/Oct/2015:06:47:36 +0100", 1_446_097_656),
        ("22/Jan/2019:03:56:14 +0330", 1_548_116_774),
        ("29/Feb/2016:23:59:59 -1200", 1_456_833_599),
        ("01/Jan/1970:00:00:00 +0000", 0),
    ])
    func commonLogFormatTimesAreAbsoluteInstants(text: String, epoch: Int64) {
        let parsed = Timestamp.parseCommonLogFormat(Array(text.utf8).span)
        #expect(parsed?.epochSeconds == epoch)
    }

    @Test(arguments: [
        ("2000-10-10T13:55:36-07:00", Int64(971_211_336)),
        ("2015-05-17T10:05:03Z", 1_431_857_103),
        ("2015-05-17T10:05:03.250+00:00", 1_431_857_103),
    ])
    func iso8601TimesAreAbsoluteInstants(text: String, epoch: Int64) {
        let parsed = Timestamp.parseISO8601(Array(text.utf8).span)
        #expect(parsed?.epochSeconds == epoch)
    }

    @Test(arguments: ["32/Oct/2000:13:55:36 -0700", "10/Okt/2000:13:55:36 -0700", "10/Oct/2000:24:00:00 +0000",
                      "10/Oct/2000:13:55:36 0700", "10/Oct/2000 13:55:36 -0700", "29/Feb/2015:00:00:00 +0000"])
    func invalidTimesAreRefused(text: String) {
        #expect(Timestamp.parseCommonLogFormat(Array(text.utf8).span) == nil)
    }

    /// One memo across lines gives what each line parsed alone gives: same day in another zone, the next day, a
    /// refused date right after a valid one of the same month, and a bad time on the remembered date.
    @Test func aRememberedDateNeverChangesTheResult() {
        let lines = ["10/Oct/2000:13:55:36 -0700", "10/Oct/2000:23:00:00 +0000", "11/Oct/2000:00:00:01 +0200",
                     "31/Jan/2016:12:00:00 +0000", "31/Feb/2016:12:00:00 +0000", "31/Jan/2016:24:00:00 +0000",
                     "31/Jan/2016:23:59:59 -1200", "29/Feb/2016:00:00:00 +0000"]
        var memo = Timestamp.DateMemo()
        for line in lines {
            let alone = Timestamp.parseCommonLogFormat(Array(line.utf8).span)
            let remembered = Timestamp.parseCommonLogFormat(Array(line.utf8).span, memo: &memo)
            #expect(remembered == alone, "\(line)")
        }
        #expect(Timestamp.parseCommonLogFormat(Array("31/Feb/2016:12:00:00 +0000".utf8).span, memo: &memo) == nil)
        #expect(Timestamp.parseCommonLogFormat(Array("31/Jan/2016:23:59:59 -1200".utf8).span, memo: &memo)?.epochSeconds
                == 1_454_327_999)
    }

    @Test func instantsPrintAsUTC() {
        #expect(Timestamp.iso8601UTC(971_211_336) == "2000-10-10T20:55:36Z")
        #expect(Timestamp.iso8601UTC(-1) == "1969-12-31T23:59:59Z")
    }
}
