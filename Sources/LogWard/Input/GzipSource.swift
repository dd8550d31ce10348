import LogWardThreads
import CZlib

/// Inflates gzip input, member after member (`cat a.gz b.gz` is one valid file), through zlib.
final class GzipSource: ChunkSource {
    private static let inputBufferSize = 128 * 1024
    /// 15 window bits plus 16: expect a gzip header and trailer, and check the CRC.
    private static let gzipWindowBits: Int32 = 15 + 16

    private let file: RawFile
    // zlib keeps a pointer back to its z_stream, so the stream must not move: it lives on the heap.
    private let stream: UnsafeMutablePointer<z_stream>
    private let inputBuffer: UnsafeMutableRawBufferPointer
    private var insideMember = false
    private var reachedEnd = false
    private var failure: InputError?

    init(file: RawFile) throws {
        self.file = file
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        inputBuffer = .allocate(byteCount: Self.inputBufferSize, alignment: 16)
        let status = CZlib_inflateInit2(stream, Self.gzipWindowBits)
        guard status == Z_OK else {
            stream.deallocate()
            inputBuffer.deallocate()
            throw InputError.readFailed(path: file.path, reason: "zlib could not start (code \(status))")
        }
    }

    deinit {
        inflateEnd(stream)
        stream.deallocate()
        inputBuffer.deallocate()
    }

    var path: String { file.path }
    var sha256: String { file.sha256 }

    /// Compressed bytes consumed by inflate so far.
    var inputOffset: Int64 { file.bytesRead - Int64(stream.pointee.avail_in) }

    func fill(_ buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        if let failure { throw failure }
        stream.pointee.next_out = buffer.baseAddress!.assumingMemoryBound(to: Bytef.self)
        stream.pointee.avail_out = uInt(buffer.count)
        do {
            try inflateUntilFull()
        } catch let error as InputError {
            failure = error
            // Hand over what was inflated before the damage; the error follows on the next call.
            let produced = buffer.count - Int(stream.pointee.avail_out)
            if produced > 0 { return produced }
            throw error
        }
        return buffer.count - Int(stream.pointee.avail_out)
    }

    private func inflateUntilFull() throws {
        while stream.pointee.avail_out > 0 {
            if stream.pointee.avail_in == 0 && !reachedEnd {
                let count = try file.read(into: inputBuffer)
                if count == 0 {
                    reachedEnd = true
                } else {
                    stream.pointee.next_in = inputBuffer.baseAddress!.assumingMemoryBound(to: Bytef.self)
                    stream.pointee.avail_in = uInt(count)
                }
            }
            if stream.pointee.avail_in == 0 && reachedEnd {
                if insideMember { throw InputError.truncated(path: path, offset: inputOffset) }
                return
            }
            insideMember = true
            let status = inflate(stream, Z_NO_FLUSH)
            switch status {
            case Z_OK:
                continue
            case Z_STREAM_END:
                insideMember = false
                inflateReset(stream)
            case Z_BUF_ERROR where stream.pointee.avail_in == 0:
                continue  // zlib wants more input: read it on the next turn
            case Z_DATA_ERROR, Z_NEED_DICT, Z_BUF_ERROR:
                throw InputError.corrupt(path: path, offset: inputOffset, detail: zlibMessage(status))
            default:
                throw InputError.readFailed(path: path, reason: zlibMessage(status))
            }
        }
    }

    private func zlibMessage(_ status: Int32) -> String {
        if let message = stream.pointee.msg { return String(cString: message) }
        return "zlib error \(status)"
    }
}
