import LogWardFormat
import Yams

/// A YAML mapping with the file name and line numbers kept for messages (rules files and the run config).
/// Errors are `RulesError`s: file, line and reason, exit code 2.
package struct YAMLMapping {
    let pairs: [(key: String, value: Node, line: Int?)]
    let file: String
    let line: Int?

    package init(_ node: Node, file: String, what: String) throws {
        self.file = file
        line = node.mark?.line
        guard case .mapping(let mapping) = node else {
            throw RulesError(file: file, line: node.mark?.line, "\(what) must be a mapping of keys to values")
        }
        pairs = mapping.map { pair in (pair.key.string ?? "", pair.value, pair.key.mark?.line) }
    }

    var keys: [String] { pairs.map(\.key) }

    package func error(at key: String, _ message: String) -> RulesError {
        RulesError(file: file, line: pairs.first { $0.key == key }?.line ?? line, message)
    }

    package func refuseUnknownKeys(_ known: Set<String>) throws {
        for pair in pairs where !known.contains(pair.key) {
            throw RulesError(file: file, line: pair.line, "unknown key '\(pair.key)'; expected one of \(known.sorted().joined(separator: ", "))")
        }
    }

    private func value(_ key: String) -> Node? { pairs.first { $0.key == key }?.value }

    package func string(_ key: String) throws -> String {
        guard let value = try optionalString(key) else { throw RulesError(file: file, line: line, "missing required key '\(key)'") }
        return value
    }

    package func optionalString(_ key: String) throws -> String? {
        guard let node = value(key) else { return nil }
        guard case .scalar(let scalar) = node else { throw error(at: key, "'\(key)' must be a single value") }
        return scalar.string
    }

    package func optionalBool(_ key: String) throws -> Bool? {
        guard let node = value(key) else { return nil }
        guard let bool = node.bool else { throw error(at: key, "'\(key)' must be true or false") }
        return bool
    }

    func int(_ key: String, in range: ClosedRange<Int>) throws -> Int {
        guard let value = try optionalInt(key, in: range) else { throw RulesError(file: file, line: line, "missing required key '\(key)'") }
        return value
    }

    package func optionalInt(_ key: String, in range: ClosedRange<Int>) throws -> Int? {
        guard let node = value(key) else { return nil }
        guard let int = node.int, range.contains(int) else {
            throw error(at: key, "'\(key)' must be a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return int
    }

    package func optionalDouble(_ key: String, in range: ClosedRange<Double>) throws -> Double? {
        guard let node = value(key) else { return nil }
        guard let double = node.float ?? node.int.map(Double.init), range.contains(double) else {
            throw error(at: key, "'\(key)' must be a number from \(range.lowerBound) to \(range.upperBound)")
        }
        return double
    }

    /// A single value or a list of values.
    package func optionalStringOrStrings(_ key: String) throws -> [String]? {
        if case .scalar(let scalar)? = value(key) { return [scalar.string] }
        return try optionalStrings(key)
    }

    func optionalStrings(_ key: String) throws -> [String]? {
        guard let node = value(key) else { return nil }
        guard case .sequence(let sequence) = node else { throw error(at: key, "'\(key)' must be a list") }
        return try sequence.map { item in
            guard case .scalar(let scalar) = item else { throw error(at: key, "'\(key)' must be a list of values") }
            return scalar.string
        }
    }

    package func optionalSequence(_ key: String) throws -> [Node]? {
        guard let node = value(key) else { return nil }
        guard case .sequence(let sequence) = node else { throw error(at: key, "'\(key)' must be a list") }
        return Array(sequence)
    }

    func mapping(_ key: String) throws -> YAMLMapping {
        guard let mapping = try optionalMapping(key) else { throw RulesError(file: file, line: line, "missing required key '\(key)'") }
        return mapping
    }

    package func optionalMapping(_ key: String) throws -> YAMLMapping? {
        guard let node = value(key) else { return nil }
        return try YAMLMapping(node, file: file, what: "'\(key)'")
    }

    /// The top-level mapping of a YAML document.
    package static func document(_ text: String, file: String) throws -> YAMLMapping {
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: text) else { throw RulesError(file: file, line: nil, "the file is empty") }
            root = node
        } catch let error as YamlError {
            throw RulesError(file: file, line: yamlLine(error), "YAML syntax error: \(yamlProblem(error))")
        }
        return try YAMLMapping(root, file: file, what: "the file")
    }

    static func yamlLine(_ error: YamlError) -> Int? {
        switch error {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _): return mark.line
        default: return nil
        }
    }

    static func yamlProblem(_ error: YamlError) -> String {
        switch error {
        case .scanner(_, let problem, _, _), .parser(_, let problem, _, _), .composer(_, let problem, _, _): return problem
        default: return "\(error)"
        }
    }
}
