import Foundation

/// Why output could not be written. Exit code 3 (the run could not complete its files).
public struct OutputError: Error, Equatable, Sendable, CustomStringConvertible {
    public var path: String
    public var reason: String

    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    public var description: String { "\(path): cannot write: \(reason)" }

    /// A Foundation error in logward's words: the system's reason, not a Cocoa domain and code.
    public static func reason(_ error: any Error) -> String {
        if let output = error as? OutputError { return output.reason }
        let ns = error as NSError
        for candidate in [ns, ns.userInfo[NSUnderlyingErrorKey] as? NSError].compactMap({ $0 }) where candidate.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(candidate.code)))
        }
        return ns.localizedFailureReason ?? ns.localizedDescription
    }
}
