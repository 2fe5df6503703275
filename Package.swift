// swift-tools-version: 6.0
import PackageDescription

/// Spool: a job gateway in front of fal.ai's queue.
///
/// Data flows one way: HTTP → Core → Store, and Core → Fal. `SpoolHTTP` knows nothing of jobs,
/// `SpoolStore` knows nothing of HTTP, and `SpoolSim` (the fal emulator) is only a peer of the client.
let strict: [SwiftSetting] = [.swiftLanguageMode(.v6)]

/// How the release binary is linked on Linux (README, "Memory at idle"): by lld, with its relative relocations
/// packed (`-z pack-relative-relocs`, DT_RELR, glibc 2.36 or later: about 40 KB read at start instead of 2.7 MB of
/// `.rela.dyn`), and without exporting the binary's own symbols (`--no-export-dynamic` overrides the
/// `-export-dynamic` that `--static-swift-stdlib` adds: 34,000 symbols whose tables, 2.5 MB, the dynamic linker
/// reads while every library binds; nothing looks the binary's symbols up at run time). 4 MB less resident at idle.
let releaseLinking: [LinkerSetting] = [
    .unsafeFlags(["-use-ld=lld", "-Xlinker", "-z", "-Xlinker", "pack-relative-relocs", "-Xlinker", "--no-export-dynamic"],
                 .when(platforms: [.linux], configuration: .release)),
]

let package = Package(
    name: "spool",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "spool", targets: ["spool"]),
    ],
    // Exact versions, those of the local package mirror, so that an image built later builds the same code.
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", exact: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto", exact: "3.12.3"),
        .package(url: "https://github.com/swift-server/swift-prometheus", exact: "2.4.1"),
        .package(url: "https://github.com/vapor/postgres-nio", exact: "1.33.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", exact: "2.37.6"),
        .package(url: "https://github.com/apple/swift-collections", exact: "1.6.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CSQLite", path: "Sources/CSQLite",
            pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(
            name: "CCurl", path: "Sources/CCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]),
        // epoll, eventfd, accept4 and pthread_setname_np, which Swift's Glibc module leaves out.
        .systemLibrary(name: "CLinux", path: "Sources/CLinux"),
        // glibc's mallopt, which Swift's Glibc module leaves out (`spool serve` limits malloc's arenas).
        .systemLibrary(name: "CMalloc", path: "Sources/CMalloc"),
        .target(name: "SpoolJSON", swiftSettings: strict),
        // The repository's migrations, model catalog and workbench files, built into the binary.
        .executableTarget(name: "FolderEmbedder", swiftSettings: strict),
        .plugin(name: "EmbedFolders", capability: .buildTool(), dependencies: ["FolderEmbedder"]),
        .target(name: "SpoolResources", swiftSettings: strict, plugins: ["EmbedFolders"]),
        .target(
            name: "SpoolHTTP",
            dependencies: ["CLinux", "SpoolJSON", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strict),
        .target(
            name: "SpoolStore",
            dependencies: ["CSQLite", .product(name: "Logging", package: "swift-log"),
                           .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: strict),
        .target(
            name: "SpoolPostgres",
            dependencies: ["SpoolStore", .product(name: "PostgresNIO", package: "postgres-nio"),
                           .product(name: "NIOSSL", package: "swift-nio-ssl"),
                           .product(name: "Logging", package: "swift-log")],
            swiftSettings: strict),
        .target(
            name: "SpoolFal",
            dependencies: ["CCurl", "SpoolJSON", .product(name: "Logging", package: "swift-log"),
                           .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: strict),
        .target(
            name: "SpoolSim",
            dependencies: ["SpoolHTTP", "SpoolJSON", .product(name: "Logging", package: "swift-log"),
                           .product(name: "HeapModule", package: "swift-collections"),
                           .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: strict),
        .target(
            name: "SpoolCore",
            dependencies: ["SpoolHTTP", "SpoolStore", "SpoolPostgres", "SpoolFal", "SpoolJSON", "SpoolResources",
                           .product(name: "PostgresNIO", package: "postgres-nio"),
                           .product(name: "Logging", package: "swift-log"),
                           .product(name: "Prometheus", package: "swift-prometheus"),
                           .product(name: "HeapModule", package: "swift-collections"),
                           .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: strict),
        .executableTarget(
            name: "spool",
            dependencies: ["CMalloc", "SpoolCore", "SpoolSim", "SpoolHTTP", "SpoolStore", "SpoolFal", "SpoolJSON",
                           .product(name: "ArgumentParser", package: "swift-argument-parser"),
                           .product(name: "Logging", package: "swift-log")],
            swiftSettings: strict, linkerSettings: releaseLinking),
        // What the tests of several targets share: a raw HTTP client and server, `eventually`, a quiet logger,
        // temporary folders and ports (never linked into `spool`).
        .target(
            name: "SpoolTestSupport",
            dependencies: ["SpoolJSON", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strict),
        .testTarget(name: "SpoolJSONTests", dependencies: ["SpoolJSON"], swiftSettings: strict),
        .testTarget(name: "SpoolHTTPTests", dependencies: ["SpoolHTTP", "SpoolTestSupport"], swiftSettings: strict),
        .testTarget(name: "SpoolStoreTests", dependencies: ["SpoolStore", "SpoolTestSupport"], swiftSettings: strict),
        // The throwaway PostgreSQL server of the tests (never linked into `spool`).
        .target(
            name: "SpoolPostgresTesting",
            dependencies: ["SpoolPostgres", .product(name: "PostgresNIO", package: "postgres-nio"),
                           .product(name: "Logging", package: "swift-log")],
            swiftSettings: strict),
        .testTarget(
            name: "SpoolPostgresTests",
            dependencies: ["SpoolPostgres", "SpoolPostgresTesting", "SpoolStore",
                           .product(name: "PostgresNIO", package: "postgres-nio"),
                           .product(name: "Logging", package: "swift-log")],
            swiftSettings: strict),
        .testTarget(
            name: "SpoolFalTests", dependencies: ["SpoolFal", "SpoolSim", "SpoolHTTP", "SpoolTestSupport"],
            swiftSettings: strict),
        .testTarget(
            name: "SpoolSimTests",
            dependencies: ["SpoolSim", "SpoolHTTP", "SpoolJSON", "SpoolTestSupport",
                           .product(name: "Crypto", package: "swift-crypto"),
                           .product(name: "Logging", package: "swift-log")],
            swiftSettings: strict),
        .testTarget(name: "SpoolCoreTests",
                    dependencies: ["SpoolCore", "SpoolSim", "SpoolHTTP", "SpoolStore", "SpoolFal", "SpoolResources",
                                   "SpoolPostgres", "SpoolPostgresTesting", "SpoolTestSupport"],
                    swiftSettings: strict),
    ]
)
