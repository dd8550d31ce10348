import Foundation
import Testing
import LogWard

/// Output files are replaced atomically, but never a device, pipe or link: `-o /dev/null` once turned the
/// machine's /dev/null into a plain file by renaming over it.
@Suite struct AtomicFileTests {
    private static func kind(_ path: String, following: Bool = true) -> mode_t {
        var info = stat()
        let status = following ? stat(path, &info) : lstat(path, &info)
        return status == 0 ? info.st_mode & S_IFMT : 0
    }

    @Test func aPipeIsWrittenInPlace() throws {
        let directory = try TemporaryDirectory()
        let fifo = directory.path("pipe")
        #expect(mkfifo(fifo, 0o600) == 0)
        let reader = open(fifo, O_RDONLY | O_NONBLOCK)
        #expect(reader >= 0)
        defer { close(reader) }
        let output = try LogOutput(path: fifo)
        try output.writeLine(Array("one line".utf8).span)
        try output.commit()
        var buffer = [UInt8](repeating: 0, count: 64)
        let count = read(reader, &buffer, buffer.count)
        #expect(Array(buffer[0..<max(count, 0)]) == Array("one line\n".utf8))
        #expect(Self.kind(fifo) == S_IFIFO)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.url.path) == ["pipe"])
    }

    @Test func devNullStaysADevice() throws {
        let output = try LogOutput(path: "/dev/null")
        try output.writeLine(Array("dropped".utf8).span)
        try output.commit()
        #expect(Self.kind("/dev/null") == S_IFCHR)
    }

    @Test func aLinkKeepsPointingAtTheReplacedFile() throws {
        let directory = try TemporaryDirectory()
        let target = try directory.write("target.log", Array("old\n".utf8))
        let link = directory.path("link.log")
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: target)
        let output = try LogOutput(path: link)
        try output.writeLine(Array("new".utf8).span)
        try output.commit()
        #expect(Self.kind(link, following: false) == S_IFLNK)
        #expect(try Data(contentsOf: URL(fileURLWithPath: target)) == Data("new\n".utf8))
    }

    @Test func aDirectoryIsRefusedWithItsName() throws {
        let directory = try TemporaryDirectory()
        #expect(throws: OutputError.self) { try LogOutput(path: directory.url.path) }
    }
}
