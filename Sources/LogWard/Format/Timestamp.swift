import LogWardInput
/// Log timestamps as absolute instants: seconds since 1970-01-01 UTC plus the offset the server wrote.
public struct Timestamp: Sendable, Equatable, Comparable, CustomStringConvertible {
    public var epochSeconds: Int64
    public var utcOffsetSeconds: Int32

    public init(epochSeconds: Int64, utcOffsetSeconds: Int32 = 0) {
        self.epochSeconds = epochSeconds
        self.utcOffsetSeconds = utcOffsetSeconds
    }

    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool { lhs.epochSeconds < rhs.epochSeconds }

    /// ISO 8601 in UTC, e.g. `2015-05-17T10:05:03Z`.
    public var description: String { Self.iso8601UTC(epochSeconds) }

    /// The UTC day of an instant, as days since 1970-01-01 (floored: instants before 1970 too).
    public static func dayNumber(_ epoch: Int64) -> Int64 { epoch.floorDivided(by: 86_400) }

    public static func iso8601UTC(_ epoch: Int64) -> String {
        let days = epoch.floorDivided(by: 86_400)
        let secondOfDay = epoch - days * 86_400
        let (year, month, day) = civil(fromDays: days)
        func two(_ value: Int64) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(year)-\(two(month))-\(two(day))T\(two(secondOfDay / 3600)):\(two(secondOfDay / 60 % 60)):\(two(secondOfDay % 60))Z"
    }

    /// The UTC day (`YYYY-MM-DD`) of an instant shifted by `offsetSeconds`.
    public static func day(_ epoch: Int64, offsetSeconds: Int64 = 0) -> String {
        String(iso8601UTC(epoch + offsetSeconds).prefix(10))
    }

    // MARK: Parsing

    private static let monthNames: [UInt32] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        .map { name in name.utf8.reduce(UInt32(0)) { $0 << 8 | UInt32($1) } }

    /// The date of the last `%t` parsed (`10/Oct/2000`) and its day number: lines come in runs of one day, and
    /// the run's lines skip the month lookup, the calendar check and the day arithmetic.
    public struct DateMemo: Sendable {
        fileprivate var head: UInt64 = 0
        fileprivate var tail: UInt32 = 0
        fileprivate var days: Int64 = 0
        fileprivate var valid = false

        public init() {}

        fileprivate init(head: UInt64, tail: UInt32, days: Int64) {
            self.head = head
            self.tail = tail
            self.days = days
            valid = true
        }
    }

    /// `10/Oct/2000:13:55:36 -0700`, as Apache's `%t` and nginx's `$time_local` write it.
    package static func parseCommonLogFormat(_ text: Span<UInt8>) -> Timestamp? {
        var memo = DateMemo()
        return parseCommonLogFormat(text, memo: &memo)
    }

    /// The same, remembering the date in `memo` for the next line.
    package static func parseCommonLogFormat(_ text: Span<UInt8>, memo: inout DateMemo) -> Timestamp? {
        guard text.count == 26,
              text[2] == UInt8(ascii: "/"), text[6] == UInt8(ascii: "/"), text[11] == UInt8(ascii: ":"),
              text[14] == UInt8(ascii: ":"), text[17] == UInt8(ascii: ":"), text[20] == UInt8(ascii: " "),
              let hour = digits(text, 12, 2), let minute = digits(text, 15, 2), let second = digits(text, 18, 2),
              hour < 24, minute < 60, second < 61,
              let offset = offset(text, at: 21, colon: false)
        else { return nil }
        let head = text.bytes.unsafeLoadUnaligned(fromByteOffset: 0, as: UInt64.self)
        let tail = UInt32(text[8]) | UInt32(text[9]) << 8 | UInt32(text[10]) << 16
        if !(memo.valid && memo.head == head && memo.tail == tail) {
            guard let day = digits(text, 0, 2), let year = digits(text, 7, 4) else { return nil }
            let code = UInt32(text[3]) << 16 | UInt32(text[4]) << 8 | UInt32(text[5])
            guard let monthIndex = monthNames.firstIndex(of: code) else { return nil }
            let month = Int64(monthIndex + 1)
            guard (1...daysIn(month: month, year: year)).contains(day) else { return nil }
            memo = DateMemo(head: head, tail: tail, days: days(fromCivil: year, month, day))
        }
        let local = memo.days * 86_400 + hour * 3600 + minute * 60 + second
        return Timestamp(epochSeconds: local - Int64(offset), utcOffsetSeconds: offset)
    }

    /// `2000-10-10T13:55:36-07:00` or `...Z`, as nginx's `$time_iso8601` writes it.
    package static func parseISO8601(_ text: Span<UInt8>) -> Timestamp? {
        guard text.count >= 20,
              text[4] == UInt8(ascii: "-"), text[7] == UInt8(ascii: "-"), text[10] == UInt8(ascii: "T"),
              text[13] == UInt8(ascii: ":"), text[16] == UInt8(ascii: ":"),
              let year = digits(text, 0, 4), let month = digits(text, 5, 2), let day = digits(text, 8, 2),
              let hour = digits(text, 11, 2), let minute = digits(text, 14, 2), let second = digits(text, 17, 2)
        else { return nil }
        var index = 19
        if text[index] == UInt8(ascii: ".") {  // fractional seconds are dropped
            index += 1
            while index < text.count, text[index] >= 0x30, text[index] <= 0x39 { index += 1 }
        }
        let offset: Int32
        if index == text.count - 1, text[index] == UInt8(ascii: "Z") {
            offset = 0
        } else if index == text.count - 6, let parsed = Self.offset(text, at: index, colon: true) {
            offset = parsed
        } else {
            return nil
        }
        return make(year: year, month: month, day: day, hour: hour, minute: minute, second: second, offset: offset)
    }

    private static func make(year: Int64, month: Int64, day: Int64, hour: Int64, minute: Int64, second: Int64, offset: Int32) -> Timestamp? {
        guard (1...12).contains(month), (1...daysIn(month: month, year: year)).contains(day),
              hour < 24, minute < 60, second < 61 else { return nil }
        let local = days(fromCivil: year, month, day) * 86_400 + hour * 3600 + minute * 60 + second
        return Timestamp(epochSeconds: local - Int64(offset), utcOffsetSeconds: offset)
    }

    @inline(__always)
    private static func digits(_ text: Span<UInt8>, _ start: Int, _ count: Int) -> Int64? {
        var value: Int64 = 0
        for index in start..<(start + count) {
            let digit = text[index] &- 0x30
            guard digit < 10 else { return nil }
            value = value * 10 + Int64(digit)
        }
        return value
    }

    /// `+hhmm` or, with `colon`, `+hh:mm`.
    @inline(__always)
    private static func offset(_ text: Span<UInt8>, at index: Int, colon: Bool) -> Int32? {
        let sign: Int32
        switch text[index] {
        case UInt8(ascii: "+"): sign = 1
        case UInt8(ascii: "-"): sign = -1
        default: return nil
        }
        guard let hours = digits(text, index + 1, 2) else { return nil }
        let minuteStart = index + (colon ? 4 : 3)
        if colon && text[index + 3] != UInt8(ascii: ":") { return nil }
        guard let minutes = digits(text, minuteStart, 2), hours < 24, minutes < 60 else { return nil }
        return sign * Int32(hours * 3600 + minutes * 60)
    }

    private static func daysIn(month: Int64, year: Int64) -> Int64 {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
    public static func days(fromCivil year: Int64, _ month: Int64, _ day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    public static func civil(fromDays days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
