import Foundation
import LogWardAnonymize

/// The time zone days and hours are counted in: UTC by default, a fixed offset (`+02:00`) or an IANA name
/// (`Europe/Paris`, daylight saving included).
public struct StatsTimeZone: Sendable {
    private enum Kind: Sendable {
        case fixed(Int64)
        case named(TimeZone)
    }

    private let kind: Kind
    public let name: String

    public static let utc = StatsTimeZone(kind: .fixed(0), name: "UTC")

    private init(kind: Kind, name: String) {
        self.kind = kind
        self.name = name
    }

    public init?(_ text: String) {
        if text.uppercased() == "UTC" || text == "Z" {
            self = .utc
            return
        }
        let scalars = Array(text.utf8)
        if scalars.count == 6, scalars[0] == UInt8(ascii: "+") || scalars[0] == UInt8(ascii: "-"), scalars[3] == UInt8(ascii: ":"),
           let hours = Int64(text.dropFirst().prefix(2)), let minutes = Int64(text.suffix(2)), hours < 24, minutes < 60 {
            let sign: Int64 = scalars[0] == UInt8(ascii: "-") ? -1 : 1
            self.init(kind: .fixed(sign * (hours * 3600 + minutes * 60)), name: text)
            return
        }
        guard let zone = TimeZone(identifier: text) else { return nil }
        self.init(kind: .named(zone), name: text)
    }

    /// Seconds to add to a UTC instant to get local time.
    public func offset(at epoch: Int64) -> Int64 {
        switch kind {
        case .fixed(let seconds): return seconds
        case .named(let zone): return Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(epoch))))
        }
    }
}
