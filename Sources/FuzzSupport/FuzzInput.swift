#if canImport(Glibc)
import Glibc
#endif

/// A fuzz input as a file the reader opens by path (`/proc/self/fd/N` of an unlinked file in /dev/shm, a memory
/// file system), rewritten for every input, so the code under test runs exactly as on a real log (open, peek,
/// read), and nothing is left behind.
public final class FuzzInput {
    private let descriptor: Int32
    public let path: String

    public init() {
        var template = Array((access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp").utf8CString.dropLast()) + Array("/logward-fuzz-XXXXXX".utf8CString)
        descriptor = mkstemp(&template)
        precondition(descriptor >= 0, "mkstemp failed")
        unlink(template)
        path = "/proc/self/fd/\(descriptor)"
    }

    public func set(_ bytes: UnsafeRawBufferPointer) {
        _ = ftruncate(descriptor, 0)
        var offset = 0
        while offset < bytes.count {
            let written = pwrite(descriptor, bytes.baseAddress! + offset, bytes.count - offset, off_t(offset))
            precondition(written > 0, "cannot write the fuzz input")
            offset += written
        }
    }
}
