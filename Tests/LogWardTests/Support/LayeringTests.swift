import Foundation
import Testing

/// The library's folders are its layers (ARCHITECTURE.md), each a SwiftPM target that depends on the layer below
/// it alone (and re-exports it): a type of a higher layer named in a lower one does not compile. This checks that the
/// package keeps it so: every folder is a layer's target, in order, and no target reaches past the one below it.
@Suite struct LayeringTests {
    /// Lowest first. Threads holds what runs on a thread of its own (the slot ring, read-ahead, ordered work queue,
    /// serial backlog, ring consumer), generic and free of logward's types, so every stage's threading is one folder.
    /// Anonymize is below Aggregate: statistics normalize paths with the anonymizer's detectors and
    /// count visitors by its keyed pseudonyms. Retention is below Job and Audit, which both drive it.
    static let layers = ["Threads", "Input", "Format", "Policy", "Anonymize", "Aggregate", "Output", "Pipeline", "Report", "Retention",
                         "Job", "Audit"]

    static let library = Fixtures.repositoryRoot.appendingPathComponent("Sources/LogWard")

    /// The library targets of Package.swift: name, the LogWard targets it depends on, its path.
    static func libraryTargets() throws -> [(name: String, dependencies: [String], path: String)] {
        let manifest = try String(contentsOf: Fixtures.repositoryRoot.appendingPathComponent("Package.swift"), encoding: .utf8)
        let target = try NSRegularExpression(pattern: #"\.target\(name: "(LogWard\w+)", dependencies: \[([^\]]*)\], path: "([^"]+)"\)"#)
        return target.matches(in: manifest, range: NSRange(manifest.startIndex..., in: manifest)).map { match in
            let field = { (index: Int) in String(manifest[Range(match.range(at: index), in: manifest)!]) }
            let dependencies = field(2).split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                .filter { $0.hasPrefix("\"LogWard") }.map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "\"")) }
            return (field(1), dependencies, field(3))
        }
    }

    @Test func eachLayerIsATargetThatDependsOnTheLayerBelowAlone() throws {
        let folders = try FileManager.default.contentsOfDirectory(atPath: Self.library.path).filter { !$0.hasPrefix(".") }.sorted()
        #expect(folders == Self.layers.sorted())
        let targets = try Self.libraryTargets()
        #expect(targets.map(\.name) == Self.layers.map { "LogWard\($0)" })
        for (index, target) in targets.enumerated() {
            #expect(target.path == "Sources/LogWard/\(Self.layers[index])")
            #expect(target.dependencies == (index == 0 ? [] : ["LogWard\(Self.layers[index - 1])"]), "\(target.name)")
        }
    }

    /// Each layer re-exports the one below, so a file imports one module and sees what is under it, never above.
    @Test func eachLayerImportsOnlyTheLayerBelow() throws {
        for (index, layer) in Self.layers.enumerated() {
            let directory = Self.library.appendingPathComponent(layer)
            for file in try FileManager.default.contentsOfDirectory(atPath: directory.path) where file.hasSuffix(".swift") {
                let text = try String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8)
                let imported = text.split(separator: "\n").compactMap { line -> String? in
                    let words = line.split(separator: " ")
                    guard let module = words.last, words.contains("import"), module.hasPrefix("LogWard") else { return nil }
                    return String(module)
                }
                #expect(imported == (index == 0 ? [] : ["LogWard\(Self.layers[index - 1])"]), "\(layer)/\(file)")
            }
        }
    }
}
