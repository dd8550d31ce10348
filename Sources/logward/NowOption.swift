import ArgumentParser
import Foundation
import LogWard

/// `--now`: the instant retention judges by, `YYYY-MM-DD` (00:00 UTC) or `YYYY-MM-DDTHH:MM:SSZ`; default the clock.
struct NowOption: ParsableArguments {
    @Option(name: .long, help: "Judge retention as of this date (YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ, UTC) instead of now.")
    var now: String?

    func validate() throws { _ = try epoch() }

    func epoch() throws -> Int64 {
        guard let now else { return Int64(Date().timeIntervalSince1970) }
        if let day = RulesLoader.parseDay(now) { return day * 86_400 }
        if now.count == 20, now.hasSuffix("Z"), let day = RulesLoader.parseDay(String(now.prefix(10))) {
            let time = now.dropFirst(11).dropLast().split(separator: ":").compactMap { Int64($0) }
            if now[now.index(now.startIndex, offsetBy: 10)] == "T", time.count == 3, time[0] < 24, time[1] < 60, time[2] < 60 {
                return day * 86_400 + time[0] * 3600 + time[1] * 60 + time[2]
            }
        }
        throw ValidationError("--now: '\(now)' is not YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ")
    }
}
