import LogWardThreads
import CIsal
import CZlib
/// Inflates gzip input member after member through ISA-L's igzip: the same contract as `GzipSource` (zlib),
/// several times faster.
final class IsalGzipSource: ChunkSource {
    private static let inputBufferSize = 128 * 1024

    private let file: RawFile
    // The state is large (tens of KB) and ISA-L keeps pointers into it: it lives on the heap, never moves.
    private let state: UnsafeMutablePointer<inflate_state>
    private let inputBuffer: UnsafeMutableRawBufferPointer
    private var insideMember = false
    /// A member has ended: the next bytes must begin another (gzip's magic), or the file is damaged.
    private var expectingMember = false
    private var reachedEnd = false
    private var failure: InputError?
    /// Where the current member began in the file, and the decoded bytes zlib recovered past igzip's at a cut.
    private var memberStart: Int64 = 0
    private var salvaged: [UInt8] = []

    init(file: RawFile) {
        self.file = file
        state = .allocate(capacity: 1)
        isal_inflate_init(state)
        state.pointee.crc_flag = UInt32(ISAL_GZIP)
        inputBuffer = .allocate(byteCount: Self.inputBufferSize, alignment: 16)
    }

    deinit {
        state.deallocate()
        inputBuffer.deallocate()
    }

    var path: String { file.path }
    var sha256: String { file.sha256 }
    var inputOffset: Int64 { file.bytesRead - Int64(state.pointee.avail_in) }

    func fill(_ buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        if !salvaged.isEmpty {
            let count = min(buffer.count, salvaged.count)
            salvaged.withUnsafeBytes { buffer.baseAddress!.copyMemory(from: $0.baseAddress!, byteCount: count) }
            salvaged.removeFirst(count)
            return count
        }
        if let failure { throw failure }
        state.pointee.next_out = buffer.baseAddress!.assumingMemoryBound(to: UInt8.self)
        state.pointee.avail_out = UInt32(buffer.count)
        do {
            try inflateUntilFull()
        } catch let error as InputError {
            failure = error
            let produced = buffer.count - Int(state.pointee.avail_out)
            switch error {
            case .truncated, .corrupt: if insideMember { salvaged = salvage(skipping: Int64(state.pointee.total_out)) }
            default: break
            }
            if produced > 0 { return produced }
            if !salvaged.isEmpty { return try fill(buffer) }
            throw error
        }
        return buffer.count - Int(state.pointee.avail_out)
    }

    private func inflateUntilFull() throws {
        while state.pointee.avail_out > 0 {
            if state.pointee.avail_in == 0 && !reachedEnd {
                let count = try file.read(into: inputBuffer)
                if count == 0 {
                    reachedEnd = true
                } else {
                    state.pointee.next_in = inputBuffer.baseAddress!.assumingMemoryBound(to: UInt8.self)
                    state.pointee.avail_in = UInt32(count)
                }
            }
            if state.pointee.avail_in == 0 && reachedEnd {
                guard insideMember else { return }
                // igzip may still hold decoded bytes of the input it took: they are handed over, as zlib hands over
                // everything before the cut, and only then is the file truncated.
                let room = state.pointee.avail_out
                let status = isal_inflate(state)
                if status >= 0 && CIsal_inflateFinished(state) != 0 {
                    insideMember = false
                    continue
                }
                if status >= 0 && state.pointee.avail_out < room { continue }
                throw InputError.truncated(path: path, offset: inputOffset)
            }
            if expectingMember {
                // Checked here, as zlib checks it: igzip would wait for a whole header before saying a tail is junk.
                let next = state.pointee.next_in!
                guard next[0] == 0x1f, state.pointee.avail_in < 2 || next[1] == 0x8b else {
                    throw InputError.corrupt(path: path, offset: inputOffset, detail: "incorrect header check")
                }
                if state.pointee.avail_in >= 2 { expectingMember = false }
            }
            if !insideMember { memberStart = inputOffset }
            insideMember = true
            let before = (state.pointee.avail_in, state.pointee.avail_out)
            let status = isal_inflate(state)
            if status < 0 { throw InputError.corrupt(path: path, offset: inputOffset, detail: Self.message(status)) }
            if CIsal_inflateFinished(state) != 0 {
                // The member's trailer is read and checked: the next bytes, if any, begin another member.
                insideMember = false
                expectingMember = true
                let (next, available) = (state.pointee.next_in, state.pointee.avail_in)
                isal_inflate_reset(state)
                state.pointee.crc_flag = UInt32(ISAL_GZIP)
                state.pointee.next_in = next
                state.pointee.avail_in = available
                continue
            }
            // Input left, room left, and nothing taken or given: igzip is stuck on bytes it cannot use.
            if state.pointee.avail_in > 0 && state.pointee.avail_out > 0 && before == (state.pointee.avail_in, state.pointee.avail_out) {
                throw InputError.corrupt(path: path, offset: inputOffset, detail: "igzip made no progress")
            }
        }
    }

    /// At a cut or damage, igzip holds back the last bytes it decoded in the unit it could not finish, where zlib
    /// decodes up to the byte that fails: the member is inflated again with zlib from its start (a second
    /// descriptor; stdin cannot be read twice) and what it decodes past igzip's `skipping` bytes is handed over, so
    /// both libraries give the same lines before the same error.
    private func salvage(skipping: Int64) -> [UInt8] {
        guard path != "-" else { return [] }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return [] }
        defer { close(fd) }
        let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        defer { stream.deallocate() }
        guard CZlib_inflateInit2(stream, 15 + 16) == Z_OK else { return [] }
        defer { inflateEnd(stream) }
        var input = [UInt8](repeating: 0, count: 64 * 1024)
        var output = [UInt8](repeating: 0, count: 64 * 1024)
        var offset = memberStart
        var skipped: Int64 = 0
        var extra: [UInt8] = []
        while true {
            let count = input.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, off_t(offset)) }
            guard count > 0 else { return extra }
            offset += Int64(count)
            var status = Z_OK
            input.withUnsafeMutableBytes { inputBytes in
                stream.pointee.next_in = inputBytes.baseAddress!.assumingMemoryBound(to: Bytef.self)
                stream.pointee.avail_in = uInt(count)
                repeat {
                    output.withUnsafeMutableBytes { outputBytes in
                        stream.pointee.next_out = outputBytes.baseAddress!.assumingMemoryBound(to: Bytef.self)
                        stream.pointee.avail_out = uInt(outputBytes.count)
                        status = inflate(stream, Z_NO_FLUSH)
                        let produced = outputBytes.count - Int(stream.pointee.avail_out)
                        let skip = Int(min(Int64(produced), max(skipping - skipped, 0)))
                        skipped += Int64(skip)
                        if produced > skip { extra.append(contentsOf: outputBytes[skip..<produced]) }
                    }
                } while status == Z_OK && stream.pointee.avail_out == 0
            }
            // The member's end, or damage zlib sees too: what it decoded up to there is all there is.
            guard status == Z_OK || status == Z_BUF_ERROR else { return extra }
        }
    }

    private static func message(_ status: Int32) -> String {
        switch status {
        case ISAL_INVALID_BLOCK: return "invalid deflate block"
        case ISAL_INVALID_SYMBOL: return "invalid deflate symbol"
        case ISAL_INVALID_LOOKBACK: return "invalid distance too far back"
        case ISAL_INVALID_WRAPPER: return "incorrect header check"
        case ISAL_INCORRECT_CHECKSUM: return "incorrect data check"
        case ISAL_UNSUPPORTED_METHOD: return "unknown compression method"
        default: return "igzip error \(status)"
        }
    }
}
