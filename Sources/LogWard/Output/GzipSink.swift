import CZlib
import LogWardAggregate

/// Compresses into gzip (one member) and passes the compressed bytes on.
public final class GzipSink: ByteSink {
    public static let defaultLevel: Int32 = 6

    private let downstream: any ByteSink
    private let path: String
    // zlib points back at its stream: keep it at a fixed heap address.
    private let stream: UnsafeMutablePointer<z_stream>
    private let output: UnsafeMutableRawBufferPointer
    private var finished = false

    package init(downstream: any ByteSink, path: String, level: Int32 = GzipSink.defaultLevel) throws {
        self.downstream = downstream
        self.path = path
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        output = .allocate(byteCount: 128 * 1024, alignment: 16)
        // 15 window bits + 16 writes a gzip header and trailer; memLevel 8 is zlib's default.
        let status = CZlib_deflateInit2(stream, level, 15 + 16, 8)
        guard status == Z_OK else {
            stream.deallocate()
            output.deallocate()
            throw OutputError(path: path, reason: "zlib could not start compression (code \(status))")
        }
    }

    deinit {
        deflateEnd(stream)
        stream.deallocate()
        output.deallocate()
    }

    package func write(_ bytes: UnsafeRawBufferPointer) throws {
        guard !bytes.isEmpty else { return }
        try deflateLoop(bytes, flush: Z_NO_FLUSH)
    }

    /// A sync flush: what was written so far can be inflated by a reader at the other end of a pipe.
    public func flush() throws {
        try deflateLoop(UnsafeRawBufferPointer(start: nil, count: 0), flush: Z_SYNC_FLUSH)
        try downstream.flush()
    }

    public func finish() throws {
        guard !finished else { return }
        finished = true
        try deflateLoop(UnsafeRawBufferPointer(start: nil, count: 0), flush: Z_FINISH)
        try downstream.finish()
    }

    private func deflateLoop(_ bytes: UnsafeRawBufferPointer, flush: Int32) throws {
        stream.pointee.next_in = UnsafeMutablePointer(mutating: bytes.baseAddress?.assumingMemoryBound(to: Bytef.self))
        stream.pointee.avail_in = uInt(bytes.count)
        while true {
            stream.pointee.next_out = output.baseAddress!.assumingMemoryBound(to: Bytef.self)
            stream.pointee.avail_out = uInt(output.count)
            let status = deflate(stream, flush)
            guard status == Z_OK || status == Z_STREAM_END || status == Z_BUF_ERROR else {
                throw OutputError(path: path, reason: "zlib compression failed (code \(status))")
            }
            let produced = output.count - Int(stream.pointee.avail_out)
            if produced > 0 { try downstream.write(UnsafeRawBufferPointer(rebasing: output[..<produced])) }
            // Done when deflate had room to spare: all input taken and, for a flush, all output given.
            if stream.pointee.avail_out > 0 && stream.pointee.avail_in == 0 {
                if flush != Z_FINISH || status == Z_STREAM_END { return }
            }
        }
    }
}
