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
        guard let instant = RulesLoader.parseInstant(now) else {
            throw ValidationError("--now: '\(now)' is not YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ")
        }
        return instant
    }
}
