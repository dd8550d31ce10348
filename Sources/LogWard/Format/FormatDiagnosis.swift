import LogWardInput
/// Why lines do not fit a format, in words a report can print (a field's directive and a byte offset, never
/// the line's content), and which stock formats would read such a line whole.
public struct FormatDiagnosis {
    /// The first rejected line of an input, located.
    public struct Mismatch: Sendable, Equatable, Codable {
        public var line: Int
        public var reason: RejectReason
        /// The directive of the field that failed (`%>s`, `$status`), or "the text before the first field".
        public var field: String
        /// Byte offset in the line where that field (or the literal it needed) was expected.
        public var byte: Int
        /// Stock formats that parse this line with nothing left over.
        public var presets: [String]
    }

    private let format: LogFormat
    private let parser: RecordParser
    private var record: LogRecord
    private var presetParsers: [(name: String, parser: RecordParser)]?

    public init(format: LogFormat) {
        self.format = format
        parser = RecordParser(format: format)
        record = parser.makeRecord()
    }

    /// Locates where `line` stops matching the format (nil when it matches).
    package mutating func mismatch(_ line: Span<UInt8>, number: Int) -> Mismatch? {
        guard let reason = parser.parse(line, into: &record) else { return nil }
        let field = record.failedField
        let name = field < 0 ? "the text before the first field" : format.fields[field].name
        return Mismatch(line: number, reason: reason, field: name, byte: record.failedOffset, presets: presets(parsingWhole: line))
    }

    /// The stock formats that read `line` with no field left over (other than the one in use).
    package mutating func presets(parsingWhole line: Span<UInt8>) -> [String] {
        if presetParsers == nil {
            presetParsers = LogFormat.compiledPresets.compactMap { preset in
                guard preset.format.source != format.source else { return nil }
                return (preset.name, RecordParser(format: preset.format))
            }
        }
        return presetParsers!.filter { preset in
            var record = preset.parser.makeRecord()
            return preset.parser.parse(line, into: &record) == nil && !record.trailing.isPresent
        }.map(\.name)
    }
}
