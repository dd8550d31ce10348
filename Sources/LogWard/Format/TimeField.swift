import LogWardInput
/// A time field other than the common `%t` / `$time_local` and `$time_iso8601`: Apache's `%{...}t` forms and
/// nginx's `$msec`. Each is read as the line's time when it holds a whole date and time; a part of one
/// (`%{%z}t`, `%{msec_frac}t`) is checked and kept, and another field of the format gives the time.
public enum TimeField: Hashable, Sendable, CustomStringConvertible {
    /// `%{sec}t`: seconds since the epoch.
    case epochSeconds
    /// `%{msec}t`: milliseconds since the epoch.
    case epochMilliseconds
    /// `%{usec}t`: microseconds since the epoch.
    case epochMicroseconds
    /// nginx `$msec`: seconds with a fraction, `1432017903.123`.
    case epochDecimal
    /// `%{msec_frac}t` (3 digits), `%{usec_frac}t` (6 digits): the fraction of a second only.
    case fraction(digits: Int)
    /// `%{FORMAT}t`: a strftime format (times without `%z` are read as UTC).
    case strftime(String)

    public var description: String {
        switch self {
        case .epochSeconds: return "sec"
        case .epochMilliseconds: return "msec"
        case .epochMicroseconds: return "usec"
        case .epochDecimal: return "msec-decimal"
        case .fraction(let digits): return digits == 3 ? "msec_frac" : "usec_frac"
        case .strftime(let format): return format
        }
    }

    /// Whether the field holds a whole instant (else another field must give the line's time).
    public var givesInstant: Bool {
        switch self {
        case .epochSeconds, .epochMilliseconds, .epochMicroseconds, .epochDecimal: return true
        case .fraction: return false
        case .strftime(let format): return (try? TimePattern(format))?.isComplete ?? false
        }
    }

    /// The field of Apache's `%{argument}t`; nil for the default `%t` form, which has its own fast parser.
    /// `begin:` and `end:` say when the time was taken; the value reads the same either way.
    static func apache(argument: String) throws -> TimeField? {
        var format = Substring(argument)
        for prefix in ["begin:", "end:"] where format.hasPrefix(prefix) { format = format.dropFirst(prefix.count) }
        switch format {
        case "", "%d/%b/%Y:%H:%M:%S %z": return nil
        case "sec": return .epochSeconds
        case "msec": return .epochMilliseconds
        case "usec": return .epochMicroseconds
        case "msec_frac": return .fraction(digits: 3)
        case "usec_frac": return .fraction(digits: 6)
        default:
            _ = try TimePattern(String(format))
            return .strftime(String(format))
        }
    }
}

/// A compiled time field: reads a field's bytes into an instant, or checks a partial one.
struct TimeReader {
    private enum Kind {
        case epoch(divisor: Int64)
        case decimal
        case fraction(Int)
        case pattern(TimePattern)
    }

    private let kind: Kind

    init(_ field: TimeField) {
        switch field {
        case .epochSeconds: kind = .epoch(divisor: 1)
        case .epochMilliseconds: kind = .epoch(divisor: 1000)
        case .epochMicroseconds: kind = .epoch(divisor: 1_000_000)
        case .epochDecimal: kind = .decimal
        case .fraction(let digits): kind = .fraction(digits)
        case .strftime(let format): kind = .pattern(try! TimePattern(format))  // checked when the format compiled
        }
    }

    enum Reading: Equatable {
        /// `floating`: no UTC offset was in the field (read as UTC until an offset field says otherwise).
        case instant(Timestamp, floating: Bool)
        /// Well formed, but not a whole date and time; `offset` when the part is a UTC offset (`%{%z}t`).
        case part(offset: Int32?)
        case invalid
    }

    func read(_ text: Span<UInt8>) -> Reading {
        switch kind {
        case .epoch(let divisor):
            guard let value = Self.number(text, 0, text.count) else { return .invalid }
            return .instant(Timestamp(epochSeconds: value / divisor), floating: false)
        case .decimal:
            let dot = text.firstIndex(of: UInt8(ascii: ".")) ?? text.count
            guard let seconds = Self.number(text, 0, dot) else { return .invalid }
            if dot < text.count, Self.number(text, dot + 1, text.count) == nil { return .invalid }
            return .instant(Timestamp(epochSeconds: seconds), floating: false)
        case .fraction(let digits):
            return text.count == digits && Self.number(text, 0, text.count) != nil ? .part(offset: nil) : .invalid
        case .pattern(let pattern):
            return pattern.read(text)
        }
    }

    /// Decimal digits only, at most 18 of them.
    static func number(_ text: Span<UInt8>, _ start: Int, _ end: Int) -> Int64? {
        guard end > start, end - start <= 18 else { return nil }
        var value: Int64 = 0
        for index in start..<end {
            let digit = text[index] &- 0x30
            guard digit < 10 else { return nil }
            value = value * 10 + Int64(digit)
        }
        return value
    }
}

/// A strftime format compiled into steps, read back the way Apache wrote it (C locale).
struct TimePattern {
    enum Step: Equatable {
        case literal(UInt8)
        /// Exactly `width` digits (`%Y` 4, `%m` 2, ...), or up to `width` with leading spaces (`%e`).
        case number(Component, width: Int, spacePadded: Bool)
        case monthName(full: Bool)
        case weekdayName(full: Bool)
        case meridiem
        case offset
        case zoneName
        case epoch
    }

    enum Component: Equatable {
        case year, shortYear, month, day, dayOfYear, hour, hour12, minute, second
    }

    let steps: [Step]
    /// Whether the steps give a whole instant (a date and an hour and minute, or `%s`).
    let isComplete: Bool

    init(_ format: String) throws {
        var steps: [Step] = []
        let bytes = Array(format.utf8)
        var index = 0
        func add(_ expansion: String) throws { steps += try TimePattern(expansion).steps }
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            guard byte == UInt8(ascii: "%") else {
                steps.append(.literal(byte))
                continue
            }
            guard index < bytes.count else { throw FormatError.badTimeFormat(format, "it ends with a lone %") }
            let letter = bytes[index]
            index += 1
            switch letter {
            case UInt8(ascii: "Y"): steps.append(.number(.year, width: 4, spacePadded: false))
            case UInt8(ascii: "y"): steps.append(.number(.shortYear, width: 2, spacePadded: false))
            case UInt8(ascii: "m"): steps.append(.number(.month, width: 2, spacePadded: false))
            case UInt8(ascii: "d"): steps.append(.number(.day, width: 2, spacePadded: false))
            case UInt8(ascii: "e"): steps.append(.number(.day, width: 2, spacePadded: true))
            case UInt8(ascii: "j"): steps.append(.number(.dayOfYear, width: 3, spacePadded: false))
            case UInt8(ascii: "H"): steps.append(.number(.hour, width: 2, spacePadded: false))
            case UInt8(ascii: "k"): steps.append(.number(.hour, width: 2, spacePadded: true))
            case UInt8(ascii: "I"): steps.append(.number(.hour12, width: 2, spacePadded: false))
            case UInt8(ascii: "l"): steps.append(.number(.hour12, width: 2, spacePadded: true))
            case UInt8(ascii: "M"): steps.append(.number(.minute, width: 2, spacePadded: false))
            case UInt8(ascii: "S"): steps.append(.number(.second, width: 2, spacePadded: false))
            case UInt8(ascii: "b"), UInt8(ascii: "h"): steps.append(.monthName(full: false))
            case UInt8(ascii: "B"): steps.append(.monthName(full: true))
            case UInt8(ascii: "a"): steps.append(.weekdayName(full: false))
            case UInt8(ascii: "A"): steps.append(.weekdayName(full: true))
            case UInt8(ascii: "p"): steps.append(.meridiem)
            case UInt8(ascii: "z"): steps.append(.offset)
            case UInt8(ascii: "Z"): steps.append(.zoneName)
            case UInt8(ascii: "s"): steps.append(.epoch)
            case UInt8(ascii: "T"): try add("%H:%M:%S")
            case UInt8(ascii: "R"): try add("%H:%M")
            case UInt8(ascii: "D"): try add("%m/%d/%y")
            case UInt8(ascii: "F"): try add("%Y-%m-%d")
            case UInt8(ascii: "%"): steps.append(.literal(UInt8(ascii: "%")))
            case UInt8(ascii: "n"): steps.append(.literal(UInt8(ascii: "\n")))
            case UInt8(ascii: "t"): steps.append(.literal(UInt8(ascii: "\t")))
            default:
                throw FormatError.badTimeFormat(format, "%\(Character(Unicode.Scalar(letter))) is not a strftime conversion logward reads")
            }
        }
        self.steps = steps
        let components = Set(steps.compactMap { step -> Component? in
            if case .number(let component, _, _) = step { return component }
            return nil
        })
        let hasYear = components.contains(.year) || components.contains(.shortYear)
        let hasMonth = components.contains(.month) || steps.contains(.monthName(full: false)) || steps.contains(.monthName(full: true))
        let hasDate = hasYear && ((hasMonth && components.contains(.day)) || components.contains(.dayOfYear))
        let hasHour = components.contains(.hour) || (components.contains(.hour12) && steps.contains(.meridiem))
        isComplete = steps.contains(.epoch) || (hasDate && hasHour && components.contains(.minute))
    }

    private static let months = ["january", "february", "march", "april", "may", "june", "july", "august", "september",
                                 "october", "november", "december"].map { Array($0.utf8) }
    private static let weekdays = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"].map { Array($0.utf8) }

    func read(_ text: Span<UInt8>) -> TimeReader.Reading {
        var position = 0
        let end = text.count
        var year: Int64 = 1970, month: Int64 = 1, day: Int64 = 1, dayOfYear: Int64?
        var hour: Int64 = 0, minute: Int64 = 0, second: Int64 = 0
        var pm: Bool?
        var offset: Int64?
        var epoch: Int64?
        func lower(_ byte: UInt8) -> UInt8 { byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte }
        /// Matches one of `names` (or its first three letters) case-insensitively; returns its index.
        func name(_ names: [[UInt8]], full: Bool) -> Int? {
            for (index, name) in names.enumerated() {
                let wanted = full ? name : Array(name.prefix(3))
                guard end - position >= wanted.count else { continue }
                if wanted.indices.allSatisfy({ lower(text[position + $0]) == wanted[$0] }) {
                    position += wanted.count
                    return index
                }
            }
            return nil
        }
        for step in steps {
            switch step {
            case .literal(let byte):
                guard position < end, text[position] == byte else { return .invalid }
                position += 1
            case .number(let component, let width, let spacePadded):
                guard end - position >= width else { return .invalid }
                var value: Int64 = 0
                var digits = 0
                for offset in 0..<width {
                    let byte = text[position + offset]
                    if spacePadded && digits == 0 && byte == UInt8(ascii: " ") && offset < width - 1 { continue }
                    let digit = byte &- 0x30
                    guard digit < 10 else { return .invalid }
                    value = value * 10 + Int64(digit)
                    digits += 1
                }
                position += width
                switch component {
                case .year: year = value
                case .shortYear: year = value < 69 ? 2000 + value : 1900 + value
                case .month: month = value
                case .day: day = value
                case .dayOfYear: dayOfYear = value
                case .hour, .hour12: hour = value
                case .minute: minute = value
                case .second: second = value
                }
            case .monthName(let full):
                guard let index = name(Self.months, full: full) else { return .invalid }
                month = Int64(index + 1)
            case .weekdayName(let full):
                guard name(Self.weekdays, full: full) != nil else { return .invalid }
            case .meridiem:
                guard end - position >= 2, lower(text[position + 1]) == UInt8(ascii: "m") else { return .invalid }
                switch lower(text[position]) {
                case UInt8(ascii: "a"): pm = false
                case UInt8(ascii: "p"): pm = true
                default: return .invalid
                }
                position += 2
            case .offset:
                guard end - position >= 5, text[position] == UInt8(ascii: "+") || text[position] == UInt8(ascii: "-"),
                      let hours = TimeReader.number(text, position + 1, position + 3) else { return .invalid }
                var minuteStart = position + 3
                if text[minuteStart] == UInt8(ascii: ":") { minuteStart += 1 }
                guard let minutes = TimeReader.number(text, minuteStart, minuteStart + 2), minuteStart + 2 <= end,
                      hours < 24, minutes < 60 else { return .invalid }
                offset = (hours * 3600 + minutes * 60) * (text[position] == UInt8(ascii: "-") ? -1 : 1)
                position = minuteStart + 2
            case .zoneName:
                offset = 0
                // A zone abbreviation says nothing exact (CST is three zones): only UTC and GMT are read.
                let start = position
                while position < end, lower(text[position]) >= 0x61, lower(text[position]) <= 0x7A { position += 1 }
                let zone = String(decoding: text.extracting(start..<position), as: UTF8.self).uppercased()
                guard zone == "UTC" || zone == "GMT" else { return .invalid }
            case .epoch:
                let start = position
                while position < end, text[position] &- 0x30 < 10 { position += 1 }
                guard let value = TimeReader.number(text, start, position) else { return .invalid }
                epoch = value
            }
        }
        guard position == end else { return .invalid }
        if let epoch { return .instant(Timestamp(epochSeconds: epoch), floating: false) }
        if let pm {
            guard (1...12).contains(hour) else { return .invalid }
            hour = hour % 12 + (pm ? 12 : 0)
        }
        guard hour < 24, minute < 60, second < 61, (1...12).contains(month), (1...31).contains(day) else { return .invalid }
        guard isComplete else { return .part(offset: offset.map { Int32($0) }) }
        var days = Timestamp.days(fromCivil: year, month, day)
        if let dayOfYear {
            guard (1...366).contains(dayOfYear) else { return .invalid }
            days = Timestamp.days(fromCivil: year, 1, 1) + dayOfYear - 1
        } else {
            // The calendar check: 31 February is no date.
            guard Timestamp.civil(fromDays: days) == (year, month, day) else { return .invalid }
        }
        let local = days * 86_400 + hour * 3600 + minute * 60 + second
        return .instant(Timestamp(epochSeconds: local - (offset ?? 0), utcOffsetSeconds: Int32(offset ?? 0)), floating: offset == nil)
    }
}
