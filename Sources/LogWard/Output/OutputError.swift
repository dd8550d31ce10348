import Foundation
import LogWardAggregate

/// Why output could not be written. Exit code 3 (the run could not complete its files).
public struct OutputError: Error, Equatable, Sendable, CustomStringConvertible {
    public var path: String
    public var reason: String

    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    public var description: String {
        if reason == Self.brokenPipe {
            return "\(path == "-" ? "stdout" : path): closed by its reader (broken pipe); logward stopped writing"
        }
        return "\(path): cannot write: \(reason)"
    }

    static let brokenPipe = String(cString: strerror(EPIPE))

    /// A Foundation error in logward's words: the system's reason, not a Cocoa domain and code.
    public static func reason(_ error: any Error) -> String {
        if let output = error as? OutputError { return output.reason }
        let ns = error as NSError
        for candidate in [ns, ns.userInfo[NSUnderlyingErrorKey] as? NSError].compactMap({ $0 }) where candidate.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(candidate.code)))
        }
        if ns.domain == NSCocoaErrorDomain { return ns.localizedFailureReason ?? ns.localizedDescription }
        return String(describing: error)
    }
}

extension OutputError: LogWardError { public var exitStatus: ExitStatus { .unreadableInput } }
