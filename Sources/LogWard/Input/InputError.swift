import LogWardThreads
/// Why an input could not be read to its end. Messages name the file and a byte offset, never content.
public enum InputError: Error, Equatable, Sendable, CustomStringConvertible {
    case cannotOpen(path: String, reason: String)
    case readFailed(path: String, reason: String)
    /// A gzip member whose header, data or CRC is wrong; `offset` is the compressed byte offset where inflate stopped.
    case corrupt(path: String, offset: Int64, detail: String)
    /// The file ends inside a gzip member; `offset` is the compressed size read.
    case truncated(path: String, offset: Int64)

    public var path: String {
        switch self {
        case .cannotOpen(let path, _), .readFailed(let path, _), .corrupt(let path, _, _), .truncated(let path, _):
            return path
        }
    }

    public var description: String {
        switch self {
        case .cannotOpen(let path, let reason):
            return "\(path): cannot open: \(reason)"
        case .readFailed(let path, let reason):
            return "\(path): read failed: \(reason)"
        case .corrupt(let path, let offset, let detail):
            return "\(path): corrupt gzip data at compressed byte offset \(offset): \(detail)"
        case .truncated(let path, let offset):
            return "\(path): truncated gzip file: input ends inside a member at compressed byte offset \(offset)"
        }
    }
}

extension InputError: LogWardError { public var exitStatus: ExitStatus { .unreadableInput } }
