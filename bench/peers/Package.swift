// swift-tools-version: 6.0
import PackageDescription

/// The peer `make bench` compares Spool with: a Hummingbird 2 server answering `GET /healthz` with
/// `{"status":"ok"}`. Kept out of Spool's own package so that Spool never depends on it; built with
/// `swift build -c release --package-path bench/peers --scratch-path .build-peers`.
let package = Package(
    name: "spool-bench-peers",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird", exact: "2.28.1"),
    ],
    targets: [
        .executableTarget(
            name: "HelloPeer",
            dependencies: [.product(name: "Hummingbird", package: "hummingbird")],
            swiftSettings: [.swiftLanguageMode(.v6)]),
    ]
)
