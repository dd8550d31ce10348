import LogWardThreads
import Crypto
/// An open file descriptor (or stdin for "-") with a small push-back buffer, so the format can be sniffed
/// from the first bytes of a pipe without seeking.
final class RawFile {
    let path: String
    private let fd: Int32
    private let ownsDescriptor: Bool
    private var pushedBack: [UInt8] = []
    private(set) var bytesRead: Int64 = 0
    /// SHA-256 of every byte taken from the descriptor, so a file is identified in the same pass that reads it;
    /// nil when nobody needs the file's identity (it costs a core's time on large files).
    private var digest: SHA256?

    init(path: String, identify: Bool = false) throws {
        self.path = path
        if identify { digest = SHA256() }
        if path == "-" {
            fd = STDIN_FILENO
            ownsDescriptor = false
            return
        }
        let opened = open(path, O_RDONLY | O_CLOEXEC)
        guard opened >= 0 else {
            throw InputError.cannotOpen(path: path, reason: String(cString: strerror(errno)))
        }
        var info = stat()
        if fstat(opened, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR {
            close(opened)
            throw InputError.cannotOpen(path: path, reason: "is a directory")
        }
        fd = opened
        ownsDescriptor = true
    }

    deinit {
        if ownsDescriptor { close(fd) }
    }

    /// Reads up to `buffer.count` bytes; 0 at end of file. A pipe returns what has arrived, so lines flow as written.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard buffer.count > 0 else { return 0 }
        if !pushedBack.isEmpty {
            let count = min(buffer.count, pushedBack.count)
            pushedBack.withUnsafeBytes { buffer.baseAddress!.copyMemory(from: $0.baseAddress!, byteCount: count) }
            pushedBack.removeFirst(count)
            bytesRead += Int64(count)
            return count
        }
        let count: Int
        do {
            count = try SystemCalls.read(fd, into: buffer.baseAddress, count: buffer.count)
        } catch {
            throw InputError.readFailed(path: path, reason: error.reason)
        }
        bytesRead += Int64(count)
        digest?.update(bufferPointer: UnsafeRawBufferPointer(rebasing: buffer[..<count]))
        return count
    }

    /// Hex SHA-256 of the bytes read so far (of the whole file once it has been read to its end).
    var sha256: String {
        guard let digest else { return "" }
        return FileDigest.hex(digest.finalize())
    }

    /// The first `count` bytes (fewer at end of file), left in place for the next `read`.
    func peek(_ count: Int) throws -> [UInt8] {
        var head = [UInt8](repeating: 0, count: count)
        var filled = 0
        while filled < count {
            let got = try head.withUnsafeMutableBytes { try read(into: UnsafeMutableRawBufferPointer(rebasing: $0[filled...])) }
            if got == 0 { break }
            filled += got
        }
        head.removeLast(count - filled)
        bytesRead -= Int64(filled)
        pushedBack = head + pushedBack
        return head
    }
}
