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
        .target(
            name: "LogWard",
            dependencies: [
                "CZlib",
                "CIsal",
                "CMemory",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
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
            ]
        ),
        // libFuzzer targets (`make fuzz`: --sanitize=fuzzer -DFUZZING); a normal build gives each a stub main.
        .target(name: "FuzzSupport", path: "Sources/FuzzSupport"),
        .executableTarget(name: "FuzzGzipReader", dependencies: ["LogWard", "FuzzSupport"]),
        .executableTarget(name: "FuzzLineParser", dependencies: ["LogWard", "FuzzSupport"]),
        .executableTarget(name: "FuzzFormatCompiler", dependencies: ["LogWard"]),
        .executableTarget(name: "FuzzRulesLoader", dependencies: ["LogWard"]),
        .testTarget(
            name: "LogWardTests",
            dependencies: ["LogWard", "LogWardPostgres"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
