import Foundation
import LogWard

/// Runs the statistics pass over files into a fresh database in `directory`.
func runStats(_ files: [String], rules: String = Fixtures.path("rules-stats"), policy: String? = nil, site: String? = nil,
              timeZone: StatsTimeZone = .utc, sinks: StatsSinks, keys: String, replace: Bool = false) throws -> PassRunner.Result {
    let set = try RulesLoader.load(directory: rules)
    let choice = try PolicyChoice(set: set, forcedPolicy: policy, site: site)
    var runner = PassRunner(scan: ScanOptions(), choice: choice, pool: PseudonymizerPool(keys: try KeyStore(directory: keys)))
    runner.statsSinks = sinks
    runner.timeZone = timeZone
    runner.replaceStats = replace
    return try runner.run(files: files, output: nil)
}

extension Array where Element == BreakdownRow {
    func rows(_ day: String, _ dimension: BreakdownDimension) -> [String: BreakdownRow] {
        Dictionary(uniqueKeysWithValues: filter { $0.day == day && $0.dimension == dimension.rawValue }.map { ($0.key, $0) })
    }
}
