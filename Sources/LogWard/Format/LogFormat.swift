import Foundation
import LogWardInput

/// A log format compiled into a field plan: a leading literal, then each field with the literal that follows it.
/// A record is read by matching the plan left to right, and written back by the same plan.
public struct LogFormat: Sendable, Equatable {
    public struct Field: Sendable, Equatable {
        public var kind: FieldKind
        /// The directive as written (`%h`, `$remote_addr`), for messages.
        public var name: String
        /// Written between double quotes, with `\"` (Apache) or `\x22` (nginx) escapes inside.
        public var quoted: Bool
        /// The literal bytes that follow the field (after its closing quote); empty for a last field.
        public var terminator: [UInt8]
    }

    public enum Dialect: String, Sendable {
        case apache
        case nginx
    }

    /// The string this format was compiled from.
    public private(set) var source: String
    public let dialect: Dialect
    public let leading: [UInt8]
    public let fields: [Field]

    /// Apache's and nginx's stock formats, by the names users know them by.
    public static let presets: [(name: String, format: String)] = [
        ("common", #"%h %l %u %t "%r" %>s %b"#),
        ("combined", #"%h %l %u %t "%r" %>s %b "%{Referer}i" "%{User-Agent}i""#),
        ("vhost_combined", #"%v:%p %h %l %u %t "%r" %>s %O "%{Referer}i" "%{User-Agent}i""#),
        ("nginx", #"$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent""#),
        // The `main` format of nginx's stock nginx.conf: combined plus the forwarded-for header.
        ("nginx_main", #"$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent" "$http_x_forwarded_for""#),
    ]

    public static let combined = try! LogFormat("combined")

    /// The presets compiled once: diagnosis tries every one of them on a rejected line.
    static let compiledPresets: [(name: String, format: LogFormat)] = presets.map { preset in
        (preset.name, try! LogFormat(compiling: preset.format))
    }

    /// A preset name or a format string; Apache strings may keep their config-file escapes (`\"`).
    public init(_ nameOrString: String) throws {
        let trimmed = nameOrString.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { throw FormatError.empty }
        if let preset = Self.compiledPresets.first(where: { $0.name == trimmed.lowercased() }) {
            self = preset.format
        } else if !trimmed.contains("%") && !trimmed.contains("$") && !trimmed.contains(" ") {
            throw FormatError.unknownPreset(trimmed)
        } else if let pasted = PastedFormat.unwrap(nameOrString) {
            try self.init(compiling: pasted)
            source = nameOrString
        } else {
            try self.init(compiling: nameOrString)
        }
    }

    init(compiling string: String) throws {
        let unescaped = Self.unescapeConfigString(string)
        let dialect: Dialect = Self.looksLikeApache(unescaped) ? .apache : .nginx
        let tokens = dialect == .apache
            ? try ApacheFormatCompiler.tokenize(unescaped)
            : try NginxFormatCompiler.tokenize(unescaped)
        let (leading, fields) = try Self.plan(tokens)
        self.source = string
        self.dialect = dialect
        self.leading = leading
        self.fields = fields
    }

    /// The index of the first field of this kind, if the format has one.
    public func index(of kind: FieldKind) -> Int? {
        fields.firstIndex { $0.kind == kind }
    }

    public func contains(_ kind: FieldKind) -> Bool { index(of: kind) != nil }

    /// Whether a field gives each line its time (statistics and retention need one).
    public var hasTime: Bool {
        fields.contains { field in
            switch field.kind {
            case .timeLocal, .timeISO8601: return true
            case .time(let time): return time.givesInstant
            default: return false
            }
        }
    }

    // MARK: - Compilation

    enum Token: Equatable {
        case literal([UInt8])
        case field(FieldKind, name: String)
    }

    private static func looksLikeApache(_ string: String) -> Bool {
        // An nginx format has `$name` variables; `%` appears there only inside literals.
        var iterator = string.unicodeScalars.makeIterator()
        while let scalar = iterator.next() {
            if scalar == "%", let next = iterator.next(), next != "%" { return true }
        }
        return false
    }

    /// Undoes the escapes a format string carries inside an Apache or nginx config file.
    private static func unescapeConfigString(_ string: String) -> String {
        var result = ""
        var escaping = false
        for character in string {
            if escaping {
                switch character {
                case "t": result.append("\t")
                case "n": result.append("\n")
                default: result.append(character)
                }
                escaping = false
            } else if character == "\\" {
                escaping = true
            } else {
                result.append(character)
            }
        }
        if escaping { result.append("\\") }
        return result
    }

    private static func plan(_ tokens: [Token]) throws -> ([UInt8], [Field]) {
        var merged: [Token] = []
        for token in tokens {
            if case .literal(let bytes) = token, case .literal(let previous)? = merged.last {
                merged[merged.count - 1] = .literal(previous + bytes)
            } else {
                merged.append(token)
            }
        }
        var leading: [UInt8] = []
        var fields: [Field] = []
        var index = 0
        if case .literal(let bytes)? = merged.first {
            leading = bytes
            index = 1
        }
        let quote = UInt8(ascii: "\"")
        while index < merged.count {
            guard case .field(let kind, let name) = merged[index] else { preconditionFailure("literals are merged") }
            var terminator: [UInt8] = []
            if index + 1 < merged.count, case .literal(let bytes) = merged[index + 1] {
                terminator = bytes
                index += 2
            } else {
                index += 1
                if index < merged.count, case .field(let nextKind, let nextName) = merged[index],
                   !Self.endsWhereNextBegins(kind, nextKind) {
                    throw FormatError.adjacentFields(name, nextName)
                }
            }
            // A field between two double quotes is a quoted field; the quotes belong to it, not to the literals.
            var quoted = false
            let before = fields.isEmpty ? leading : fields[fields.count - 1].terminator
            if before.last == quote && terminator.first == quote {
                quoted = true
                terminator.removeFirst()
                if fields.isEmpty { leading.removeLast() } else { fields[fields.count - 1].terminator.removeLast() }
            }
            fields.append(Field(kind: kind, name: name, quoted: quoted, terminator: terminator))
        }
        guard !fields.isEmpty else { throw FormatError.noFields }
        // Two unquoted fields with nothing between them cannot be split.
        for (position, field) in fields.enumerated().dropLast() where field.terminator.isEmpty && !field.quoted {
            guard !Self.endsWhereNextBegins(field.kind, fields[position + 1].kind) else { continue }
            throw FormatError.adjacentFields(field.name, fields[position + 1].name)
        }
        return (leading, fields)
    }

    /// Fields that may follow each other with nothing between: a URL path (`%U`, `$uri`) ends where its query
    /// string (`%q`, which is empty or begins with `?`) begins.
    static func endsWhereNextBegins(_ kind: FieldKind, _ next: FieldKind) -> Bool {
        kind == .urlPath && next == .queryString
    }
}
