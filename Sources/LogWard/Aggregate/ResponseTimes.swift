import Foundation
import LogWardAnonymize

/// Response times of a site-day or of a path: a count, a sum and a log-linear histogram (8 buckets per power of
/// two, each at most 12.5% wide), which add up exactly across files, shards and parts of a day; the percentiles
/// read from it are the middle of their bucket, within 6.25% of the true value.
public struct ResponseTimes: Sendable, Equatable {
    public private(set) var count = 0
    public private(set) var totalMicroseconds: Int64 = 0
    /// Requests per bucket (see `bucket(of:)`).
    private(set) var buckets: [UInt16: Int] = [:]

    public init() {}

    public mutating func add(microseconds: Int64) {
        let value = max(microseconds, 0)
        count += 1
        totalMicroseconds += value
        buckets[Self.bucket(of: value), default: 0] += 1
    }

    public mutating func merge(_ other: ResponseTimes) {
        count += other.count
        totalMicroseconds += other.totalMicroseconds
        for (bucket, requests) in other.buckets { buckets[bucket, default: 0] += requests }
    }

    /// Values under 8 µs have a bucket each; above, a power of two is cut in 8.
    package static func bucket(of value: Int64) -> UInt16 {
        guard value >= 8 else { return UInt16(value) }
        let exponent = 63 - value.leadingZeroBitCount
        let sub = Int(value >> (exponent - 3)) & 7
        return UInt16((exponent - 2) * 8 + sub)
    }

    /// The values a bucket holds.
    package static func range(of bucket: UInt16) -> ClosedRange<Int64> {
        guard bucket >= 8 else { return Int64(bucket)...Int64(bucket) }
        let exponent = Int(bucket) / 8 + 2
        let sub = Int64(bucket % 8)
        let low = (8 + sub) << (exponent - 3)
        return low...(low + (Int64(1) << (exponent - 3)) - 1)
    }

    /// The `fraction` percentile (0.5, 0.95, 0.99), in microseconds: the middle of the bucket that holds it.
    public func percentile(_ fraction: Double) -> Double? {
        guard count > 0 else { return nil }
        let rank = max(1, Int((fraction * Double(count)).rounded(.up)))
        var seen = 0
        for bucket in buckets.keys.sorted() {
            seen += buckets[bucket]!
            if seen >= rank {
                let range = Self.range(of: bucket)
                return (Double(range.lowerBound) + Double(range.upperBound)) / 2
            }
        }
        return nil
    }

    public var meanMicroseconds: Double? { count == 0 ? nil : Double(totalMicroseconds) / Double(count) }

    /// As stored: the count, the sum, then (bucket, requests) pairs by bucket, big-endian.
    package var encoded: Data {
        var data = Data()
        func append<T: FixedWidthInteger>(_ value: T) { withUnsafeBytes(of: value.bigEndian) { data.append(contentsOf: $0) } }
        append(Int64(count))
        append(totalMicroseconds)
        for bucket in buckets.keys.sorted() {
            append(bucket)
            append(Int64(buckets[bucket]!))
        }
        return data
    }

    package init?(encoded data: Data) {
        guard data.count >= 16, (data.count - 16) % 10 == 0 else { return nil }
        let bytes = [UInt8](data)
        func read<T: FixedWidthInteger>(_ offset: Int, as: T.Type) -> T {
            bytes[offset..<(offset + MemoryLayout<T>.size)].reduce(T.zero) { $0 << 8 | T($1) }
        }
        count = Int(read(0, as: Int64.self))
        totalMicroseconds = read(8, as: Int64.self)
        var offset = 16
        while offset < bytes.count {
            buckets[read(offset, as: UInt16.self)] = Int(read(offset + 2, as: Int64.self))
            offset += 10
        }
    }
}

/// What exports show of response times, in milliseconds.
public struct ResponseTimeSummary: Sendable, Equatable, Codable {
    public var requests: Int
    public var meanMs: Double
    public var p50Ms: Double
    public var p95Ms: Double
    public var p99Ms: Double

    enum CodingKeys: String, CodingKey {
        case requests
        case meanMs = "mean_ms"
        case p50Ms = "p50_ms"
        case p95Ms = "p95_ms"
        case p99Ms = "p99_ms"
    }

    package init?(_ times: ResponseTimes) {
        guard times.count > 0, let mean = times.meanMicroseconds, let p50 = times.percentile(0.5), let p95 = times.percentile(0.95),
              let p99 = times.percentile(0.99) else { return nil }
        func ms(_ microseconds: Double) -> Double { (microseconds / 10).rounded() / 100 }
        requests = times.count
        meanMs = ms(mean)
        p50Ms = ms(p50)
        p95Ms = ms(p95)
        p99Ms = ms(p99)
    }

    public init(requests: Int, meanMs: Double, p50Ms: Double, p95Ms: Double, p99Ms: Double) {
        self.requests = requests
        self.meanMs = meanMs
        self.p50Ms = p50Ms
        self.p95Ms = p95Ms
        self.p99Ms = p99Ms
    }
}
