import Foundation
import Testing

/// How the executable is linked (Package.swift): at every start the loader reads what the dynamic section names, and
/// those pages count in every peak RSS. Exported symbols and unpacked relocations cost 5 MiB of each (README,
/// Performance); this reads the built binary's dynamic section to keep them out.
@Suite struct ExecutableLinkTests {
    #if os(Linux)
    @Test func theLoaderReadsPackedRelocationsAndNoExportedSymbols() throws {
        let entries = try DynamicSection(elf: CommandRunner.executable).entries
        // DT_RELR: relative relocations packed into a bitmap (tens of KB), not 3 MB of DT_RELA entries.
        #expect(entries[DynamicSection.relr] != nil)
        let unpackedRelativeRelocations = entries[DynamicSection.relativeRelaCount] ?? 0
        #expect(unpackedRelativeRelocations < 1_000, "\(unpackedRelativeRelocations) relative RELA relocations")
        // The dynamic string table holds only the names imported from the system libraries (2.3 MB when every one
        // of our symbols was exported).
        let stringTableBytes = try #require(entries[DynamicSection.stringTableSize])
        #expect(stringTableBytes < 256 * 1024, "\(stringTableBytes) bytes of dynamic symbol names")
    }
    #endif
}

/// The tags and values of an ELF64 little-endian executable's PT_DYNAMIC segment.
private struct DynamicSection {
    static let relativeRelaCount: UInt64 = 0x6FFF_FFF9
    static let stringTableSize: UInt64 = 10
    static let relr: UInt64 = 36

    let entries: [UInt64: UInt64]

    init(elf path: String) throws {
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
        func word(_ offset: Int, _ size: Int) -> UInt64 {
            (0..<size).reduce(0) { $0 | UInt64(bytes[offset + $1]) << (8 * UInt64($1)) }
        }
        guard bytes.count > 64, bytes.prefix(4) == Data([0x7F, 0x45, 0x4C, 0x46]), bytes[4] == 2, bytes[5] == 1 else {
            throw CocoaError(.fileReadCorruptFile)
        }
        let programHeaders = Int(word(0x20, 8)), headerSize = Int(word(0x36, 2)), headerCount = Int(word(0x38, 2))
        var entries: [UInt64: UInt64] = [:]
        for index in 0..<headerCount {
            let header = programHeaders + index * headerSize
            guard word(header, 4) == 2 else { continue }  // PT_DYNAMIC
            let offset = Int(word(header + 8, 8)), size = Int(word(header + 32, 8))
            for entry in stride(from: offset, to: offset + size, by: 16) {
                let tag = word(entry, 8)
                if tag == 0 { break }  // DT_NULL
                entries[tag] = word(entry + 8, 8)
            }
        }
        self.entries = entries
    }
}
