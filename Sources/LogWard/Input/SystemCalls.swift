import LogWardThreads
/// The reads and writes of logward's files, written once: a call a signal interrupted (EINTR) is made again, a write
/// writes everything, and a failure carries its errno for the caller's message (which names the file).
package enum SystemCalls {
    package struct Failure: Error {
        var code: Int32
        package var reason: String { String(cString: strerror(code)) }
    }

    /// Up to `count` bytes into `buffer`; 0 at the end of the file.
    static func read(_ descriptor: Int32, into buffer: UnsafeMutableRawPointer?, count: Int) throws(Failure) -> Int {
        while true {
            #if canImport(Glibc)
            let result = Glibc.read(descriptor, buffer, count)
            #else
            let result = Darwin.read(descriptor, buffer, count)
            #endif
            if result >= 0 { return result }
            if errno != EINTR { throw Failure(code: errno) }
        }
    }

    /// `text`'s UTF-8 bytes, all of them (see the raw form below).
    package static func writeAll(_ descriptor: Int32, _ text: String) throws(Failure) {
        var text = text
        // `withUTF8` rethrows untyped: the failure is carried out as a value.
        let failure = text.withUTF8 { bytes -> Failure? in
            do throws(Failure) { try writeAll(descriptor, UnsafeRawBufferPointer(bytes)) } catch { return error }
            return nil
        }
        if let failure { throw failure }
    }

    /// All of `bytes`, in as many writes as it takes.
    package static func writeAll(_ descriptor: Int32, _ bytes: UnsafeRawBufferPointer) throws(Failure) {
        var offset = 0
        while offset < bytes.count {
            #if canImport(Glibc)
            let written = Glibc.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            #else
            let written = Darwin.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            #endif
            if written < 0 {
                if errno == EINTR { continue }
                throw Failure(code: errno)
            }
            offset += written
        }
    }

    /// A rename is durable only once its directory is synced.
    package static func syncDirectory(of path: String) {
        let directory = path.lastIndex(of: "/").map { String(path[..<$0]) } ?? "."
        let fd = open(directory.isEmpty ? "/" : directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        fsync(fd)
        close(fd)
    }
}
