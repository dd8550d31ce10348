import Testing
import LogWard

/// `--now` as the library reads it (`run`, `retain`, `audit`): a day at 00:00 UTC or a UTC instant; nothing else.
@Suite struct InstantTests {
    @Test(arguments: [
        ("2015-05-18", Int64?(1_431_907_200)),
        ("2015-05-18T03:00:00Z", Int64?(1_431_918_000)),
        ("1969-12-31T23:59:59Z", Int64?(-1)),
        ("2015-05-18T24:00:00Z", nil),
        ("2015-05-18 03:00:00Z", nil),
        ("2015-05-18T03:00:00", nil),
        ("2015-02-30", nil),
        ("yesterday", nil),
    ])
    func nowIsADayOrAUTCInstant(_ text: String, _ expected: Int64?) {
        #expect(RulesLoader.parseInstant(text) == expected)
    }
}
