/// The read side of the pipeline for one input: source -> chunks -> lines -> records -> handler.
public enum LogScanner {
    public static func scan<Handler: LineHandler>(
        path: String,
        options: ScanOptions,
        handler: inout Handler,
        progress: ((Int64) -> Void)? = nil
    ) -> ScanOutcome {
        var outcome = ScanOutcome(lines: 0, inputBytes: 0, decodedBytes: 0, error: nil)
        let source: any ChunkSource
        do {
            source = try LogSource.open(path, identify: options.identifyInputs, codec: options.codec)
        } catch {
            outcome.error = error as? InputError ?? .cannotOpen(path: path, reason: "\(error)")
            return outcome
        }
        let stream = ChunkStream(source: source, chunkSize: options.chunkSize, readAhead: options.readAhead)
        let parser = RecordParser(format: options.format)
        var record = parser.makeRecord()
        var splitter = LineSplitter(maximumLineLength: options.maximumLineLength)
        func deliver(_ event: LineEvent) {
            switch event {
            case .line(let line, let position):
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
        }
        do {
            while let chunk = try stream.next() {
                outcome.decodedBytes += Int64(chunk.count)
                splitter.feed(chunk, deliver)
                progress?(stream.inputOffset)
            }
            splitter.finish(deliver)
        } catch {
            splitter.finishTruncated(deliver)
            outcome.error = error as? InputError ?? .readFailed(path: path, reason: "\(error)")
        }
        outcome.lines = splitter.lineCount
        outcome.inputBytes = stream.inputOffset
        outcome.sha256 = source.sha256
        return outcome
    }
}
