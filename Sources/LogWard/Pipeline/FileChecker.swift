import LogWardOutput
/// `logward check` over one input: its lines counted on a pass's workers (`CheckHandler`). A damaged input is
/// reported in the result (`FileCheck.error`), not thrown; what throws is the pass's writer, which writes nothing here.
public enum FileChecker {
    /// Reads `path` on `workers` workers (one: on this thread) and reports what parses.
    public static func check(path: String, options: ScanOptions, workers: Int = 1, batchBytes: Int = PassEngineDefaults.batchBytes,
                             progress: ((Int64) -> Void)? = nil) throws -> FileCheck {
        let handlers = (0..<max(1, workers)).map { _ in CheckHandler(path: path, format: options.format) }
        let engine = PassEngine(path: path, scan: options, output: nil, handlers: handlers, batchBytes: batchBytes, progress: progress)
        var total = CheckCollector(path: path, format: nil)
        let outcome = try engine.run { batch, _ in total.append(batch) }
        return total.finished(with: outcome)
    }
}
