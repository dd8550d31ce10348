import Foundation
import LogWard

/// Combined-format lines made up for one site and day, with identifiers in every place a policy cares about,
/// written as gzip files the way logrotate leaves them.
enum SyntheticLogs {
    /// `count` lines of `day` (YYYY-MM-DD), from `startHour`, one every 7 minutes, 5 distinct clients.
    static func lines(day: String, count: Int, startHour: Int = 8) -> [String] {
        let start = RulesLoader.parseDay(day)! * 86_400 + Int64(startHour) * 3600
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        return (0..<count).map { index in
            let epoch = start + Int64(index) * 420 + Int64(index % 60)
            let date = Timestamp.civil(fromDays: epoch / 86_400)
            let second = epoch % 86_400
            let time = String(format: "%02d/%@/%04d:%02d:%02d:%02d +0000", Int(date.day), months[Int(date.month) - 1], Int(date.year),
                              Int(second / 3600), Int(second / 60 % 60), Int(second % 60))
            let client = "198.51.100.\(10 + index % 5)"
            let target = index % 3 == 0 ? "/users/\(4000 + index)/profile?uid=\(4000 + index)" : "/page/\(index % 4)"
            return "\(client) - - [\(time)] \"GET \(target) HTTP/1.1\" 200 \(100 + index) \"-\" \"Mozilla/5.0 (X11; Linux x86_64) Firefox/\(index % 5 + 100).0\""
        }
    }

    static func gzip(_ lines: [String]) throws -> [UInt8] {
        let sink = MemorySink()
        let gzip = try GzipSink(downstream: sink, path: "memory", level: 6)
        let text = Array((lines.joined(separator: "\n") + "\n").utf8)
        try text.withUnsafeBytes { try gzip.write($0) }
        try gzip.finish()
        return sink.bytes
    }

    @discardableResult
    static func write(_ path: String, day: String, count: Int, startHour: Int = 8) throws -> String {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(try gzip(lines(day: day, count: count, startHour: startHour))).write(to: URL(fileURLWithPath: path))
        return path
    }
}

final class MemorySink: ByteSink {
    var bytes: [UInt8] = []
    func write(_ data: UnsafeRawBufferPointer) throws { bytes.append(contentsOf: data) }
    func flush() throws {}
    func finish() throws {}
}
