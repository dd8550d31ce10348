import LogWardOutput
/// A pass line by line: each line parsed and handed to a `LineHandler` on this thread (audit, erasure, the fuzz
/// targets; `check`, `anonymize` and `stats` run on `PassEngine`).
public enum LogScanner {
    package static func scan<Handler: LineHandler>(
        path: String,
        options: ScanOptions,
        handler: inout Handler,
        progress: ((Int64) -> Void)? = nil
    ) -> ScanOutcome {
        let parser = RecordParser(format: options.format)
        var record = parser.makeRecord()
        return PassReader.read(path: path, options: options, progress: progress, startChunk: { _ in }, deliver: { event in
            switch event {
            case .line(let bytes, let position):
                let line = Span<UInt8>(_unsafeBytes: bytes)
                if let reason = parser.parse(line, into: &record) {
                    handler.reject(reason, line: line, at: position)
                } else {
                    handler.handle(record, line: line, at: position)
                }
            case .tooLong(_, let position):
                handler.reject(.lineTooLong, line: nil, at: position)
            case .truncated(_, let position):
                handler.reject(.truncatedInput, line: nil, at: position)
            }
        }, endChunk: { true })
    }
}
