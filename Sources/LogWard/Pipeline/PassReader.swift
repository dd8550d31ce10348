import LogWardOutput
/// The one read loop of every pass: opens the input, reads its decoded chunks (inflated ahead on a second thread),
/// cuts them into lines, hands each line on, and says how reading ended. `LogScanner` (a line handler, line by line)
/// and `PassEngine` (batches for workers) are both built on it, so opening, truncated input, progress and the
/// outcome's fields are handled in one place.
enum PassReader {
    /// Reads `path` to its end or its first error. `startChunk` sees each chunk before its lines are delivered (the
    /// lines point into it until the next chunk); `endChunk` after them, and stops the read by returning false.
    @inline(__always)
    static func read(path: String, options: ScanOptions, progress: ((Int64) -> Void)?,
                     startChunk: (UnsafeRawBufferPointer) -> Void, deliver: (LineEvent) -> Void,
                     endChunk: () -> Bool) -> ScanOutcome {
        var outcome = ScanOutcome(lines: 0, inputBytes: 0, decodedBytes: 0, error: nil)
        let source: any ChunkSource
        do {
            source = try LogSource.open(path, identify: options.identifyInputs, codec: options.codec)
        } catch {
            outcome.error = error as? InputError ?? .cannotOpen(path: path, reason: "\(error)")
            return outcome
        }
        let stream = ChunkStream(source: source, chunkSize: options.chunkSize, readAhead: options.readAhead)
        var splitter = LineSplitter(maximumLineLength: options.maximumLineLength)
        do {
            while let chunk = try stream.next() {
                outcome.decodedBytes += Int64(chunk.count)
                startChunk(chunk)
                splitter.feed(chunk, deliver)
                let goOn = endChunk()
                progress?(stream.inputOffset)
                if !goOn { break }
            }
            splitter.finish(deliver)
        } catch {
            // The line the error cut off is delivered as truncated: every line is accounted for.
            splitter.finishTruncated(deliver)
            outcome.error = error as? InputError ?? .readFailed(path: path, reason: "\(error)")
        }
        outcome.lines = splitter.lineCount
        outcome.inputBytes = stream.inputOffset
        outcome.sha256 = source.sha256
        return outcome
    }
}
