// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "logward",
    products: [
        .executable(name: "logward", targets: ["logward"]),
        .library(name: "LogWard", targets: ["LogWard"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
    ],
    targets: [
        .systemLibrary(
            name: "CZlib",
            path: "Sources/CZlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        // ISA-L's igzip, several times zlib's speed at both inflate and deflate (`--codec`).
        .systemLibrary(
            name: "CIsal",
            path: "Sources/CIsal",
            providers: [.apt(["libisal-dev"])]
        ),
        .target(name: "CMemory"),
        // The library, one target per layer (ARCHITECTURE.md), each importing only the layer below it (which
        // re-exports the ones under it): a reference to a higher layer does not compile. `LogWard` re-exports them
        // all for the command line, the PostgreSQL store and the fuzz targets.
        .target(name: "LogWardThreads", dependencies: [], path: "Sources/LogWard/Threads"),
        .target(name: "LogWardInput", dependencies: ["LogWardThreads", "CZlib", "CIsal", "CMemory", .product(name: "Crypto", package: "swift-crypto")], path: "Sources/LogWard/Input"),
        .target(name: "LogWardFormat", dependencies: ["LogWardInput", "CMemory"], path: "Sources/LogWard/Format"),
        .target(name: "LogWardPolicy", dependencies: ["LogWardFormat", .product(name: "Yams", package: "Yams")], path: "Sources/LogWard/Policy"),
        .target(name: "LogWardAnonymize", dependencies: ["LogWardPolicy", "CMemory", .product(name: "Crypto", package: "swift-crypto")], path: "Sources/LogWard/Anonymize"),
        .target(name: "LogWardAggregate", dependencies: ["LogWardAnonymize", "CMemory"], path: "Sources/LogWard/Aggregate"),
        .target(name: "LogWardOutput", dependencies: ["LogWardAggregate", "CZlib", "CIsal", .product(name: "GRDB", package: "GRDB.swift")], path: "Sources/LogWard/Output"),
        .target(name: "LogWardPipeline", dependencies: ["LogWardOutput", "CMemory"], path: "Sources/LogWard/Pipeline"),
        .target(name: "LogWardReport", dependencies: ["LogWardPipeline"], path: "Sources/LogWard/Report"),
        .target(name: "LogWardRetention", dependencies: ["LogWardReport", .product(name: "Crypto", package: "swift-crypto"), .product(name: "GRDB", package: "GRDB.swift")], path: "Sources/LogWard/Retention"),
        .target(name: "LogWardJob", dependencies: ["LogWardRetention"], path: "Sources/LogWard/Job"),
        .target(name: "LogWardAudit", dependencies: ["LogWardJob", .product(name: "GRDB", package: "GRDB.swift")], path: "Sources/LogWard/Audit"),
        .target(name: "LogWard", dependencies: ["LogWardAudit"], path: "Sources/LogWardUmbrella"),
        // The PostgreSQL store (`--postgres`) in its own target: the library and the fuzz targets build without NIO.
        .target(
            name: "LogWardPostgres",
            dependencies: [
                "LogWard",
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ]
        ),
        .executableTarget(
            name: "logward",
            dependencies: [
                "LogWard",
                "LogWardPostgres",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            // Start-up cost (README, Performance): swiftc links executables with --export-dynamic, so the loader
            // read 40,000 exported symbols and 3 MB of relocations at every start, 5 MiB of every peak RSS. Nothing
            // looks our symbols up by name; relative relocations packed (DT_RELR, glibc 2.36) need lld, which the
            // toolchain ships.
            linkerSettings: [
                .unsafeFlags(
                    ["-use-ld=lld", "-Xlinker", "--no-export-dynamic", "-Xlinker", "-z", "-Xlinker", "pack-relative-relocs"],
                    .when(platforms: [.linux])
                ),
            ]
        ),
        // libFuzzer targets (`make fuzz`: --sanitize=fuzzer -DFUZZING); a normal build gives each a stub main.
        .target(name: "FuzzSupport", path: "Sources/FuzzSupport"),
        .executableTarget(name: "FuzzGzipReader", dependencies: ["LogWard", "FuzzSupport"]),
        .executableTarget(name: "FuzzLineParser", dependencies: ["LogWard", "FuzzSupport"]),
        .executableTarget(name: "FuzzFormatCompiler", dependencies: ["LogWard"]),
        .executableTarget(name: "FuzzRulesLoader", dependencies: ["LogWard"]),
        .executableTarget(name: "FuzzAnonymizer", dependencies: ["LogWard", "FuzzSupport"]),
        .testTarget(
            name: "LogWardTests",
            dependencies: ["LogWard", "LogWardPostgres"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
