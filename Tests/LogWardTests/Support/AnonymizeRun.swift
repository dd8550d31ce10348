import Foundation
import LogWard

/// Keys with known bytes, so pseudonyms in expected outputs are fixed: the period's name, then 0, 1, 2...
enum KnownKeys {
    static func bytes(period: String) -> [UInt8] {
        let name = Array(period.utf8)
        return name + (0..<(KeyStore.keySize - name.count)).map { UInt8($0) }
    }

    static func install(in directory: String, policies: [String], periods: [String]) throws {
        try KeyStore.ensurePrivateDirectory(directory)
        for policy in policies {
            try KeyStore.ensurePrivateDirectory("\(directory)/\(policy)")
            for period in periods {
                let path = "\(directory)/\(policy)/\(period).key"
                FileManager.default.createFile(atPath: path, contents: Data(bytes(period: period)), attributes: [.posixPermissions: 0o600])
            }
        }
    }
}

enum Rules {
    static let directory = Fixtures.repositoryRoot.appendingPathComponent("rules").path
    static let set = try! RulesLoader.load(directory: directory)
}

/// Runs the anonymize stage over files into `outputPath` and returns the reports.
func anonymizeFiles(_ paths: [String], format: LogFormat, choice: PolicyChoice, keys: KeyStore?, outputPath: String,
                    onReject: RejectHandling = .drop) throws -> [PassFileReport] {
    let output = try LogOutput(path: outputPath)
    var runner = PassRunner(scan: ScanOptions(format: format), choice: choice, pool: PseudonymizerPool(keys: keys))
    runner.onReject = onReject
    let reports = try runner.run(files: paths, output: output).files
    try output.commit()
    return reports
}
