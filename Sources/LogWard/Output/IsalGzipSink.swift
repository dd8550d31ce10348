import CIsal
import LogWardAggregate

/// Compresses into gzip (one member) through ISA-L's igzip at level 0-3, and passes the bytes on: the same
/// contract as `GzipSink` (zlib). The header igzip writes carries no time or name, so equal input gives equal bytes.
public final class IsalGzipSink: ByteSink {
    private let downstream: any ByteSink
    private let path: String
    private let stream: UnsafeMutablePointer<isal_zstream>
    private let levelBuffer: UnsafeMutableRawBufferPointer
    private let output: UnsafeMutableRawBufferPointer
    private var finished = false

    package init(downstream: any ByteSink, path: String, isalLevel: Int32) {
        self.downstream = downstream
        self.path = path
        stream = .allocate(capacity: 1)
        isal_deflate_init(stream)
        stream.pointee.gzip_flag = UInt16(IGZIP_GZIP)
        stream.pointee.level = UInt32(min(max(isalLevel, 0), 3))
        levelBuffer = .allocate(byteCount: Int(CIsal_levelBufferSize(Int32(stream.pointee.level))), alignment: 64)
        stream.pointee.level_buf = levelBuffer.baseAddress!.assumingMemoryBound(to: UInt8.self)
        stream.pointee.level_buf_size = UInt32(levelBuffer.count)
        output = .allocate(byteCount: 128 * 1024, alignment: 16)
    }

    deinit {
        stream.deallocate()
        levelBuffer.deallocate()
        output.deallocate()
    }

    package func write(_ bytes: UnsafeRawBufferPointer) throws {
        guard !bytes.isEmpty else { return }
        try deflateLoop(bytes, flush: NO_FLUSH, end: false)
    }

    /// A sync flush: what was written so far can be inflated at the other end of a pipe.
    public func flush() throws {
        try deflateLoop(UnsafeRawBufferPointer(start: nil, count: 0), flush: SYNC_FLUSH, end: false)
        try downstream.flush()
    }

    public func finish() throws {
        guard !finished else { return }
        finished = true
        try deflateLoop(UnsafeRawBufferPointer(start: nil, count: 0), flush: NO_FLUSH, end: true)
        try downstream.finish()
    }

    private func deflateLoop(_ bytes: UnsafeRawBufferPointer, flush: Int32, end: Bool) throws {
        stream.pointee.next_in = UnsafeMutablePointer(mutating: bytes.baseAddress?.assumingMemoryBound(to: UInt8.self))
        stream.pointee.avail_in = UInt32(bytes.count)
        stream.pointee.flush = UInt16(flush)
        stream.pointee.end_of_stream = end ? 1 : 0
        while true {
            stream.pointee.next_out = output.baseAddress!.assumingMemoryBound(to: UInt8.self)
            stream.pointee.avail_out = UInt32(output.count)
            let status = isal_deflate(stream)
            guard status == COMP_OK else { throw OutputError(path: path, reason: "igzip compression failed (code \(status))") }
            let produced = output.count - Int(stream.pointee.avail_out)
            if produced > 0 { try downstream.write(UnsafeRawBufferPointer(rebasing: output[..<produced])) }
            // Done when igzip had room to spare with all input taken, and, at the end, the trailer is out.
            if stream.pointee.avail_out > 0 && stream.pointee.avail_in == 0 {
                if !end || CIsal_deflateFinished(stream) != 0 { return }
            }
        }
    }
}
