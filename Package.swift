// swift-tools-version: 6.2
import PackageDescription

/// Our own targets turn every warning into an error (Sendable mistakes included).
let strict: [SwiftSetting] = [.treatAllWarnings(as: .error)]

let nio = Target.Dependency.product(name: "NIOCore", package: "swift-nio")
let nioPosix = Target.Dependency.product(name: "NIOPosix", package: "swift-nio")
let nioEmbedded = Target.Dependency.product(name: "NIOEmbedded", package: "swift-nio")
let logging = Target.Dependency.product(name: "Logging", package: "swift-log")
let nioTestUtils = Target.Dependency.product(name: "NIOTestUtils", package: "swift-nio")
let argumentParser = Target.Dependency.product(name: "ArgumentParser", package: "swift-argument-parser")

let package = Package(
    name: "Heimdall",
    products: [
        .executable(name: "heimdall-hub", targets: ["heimdall-hub"]),
        .executable(name: "heimdall-agent", targets: ["heimdall-agent"]),
        .executable(name: "heimdall-pki", targets: ["heimdall-pki"]),
        .executable(name: "heimdall-audit", targets: ["heimdall-audit"]),
        .executable(name: "heimdall-bench", targets: ["heimdall-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.2.0"),
    ],
    targets: [
        // C shims over system libraries.
        .target(
            name: "CHeimdallOpenSSL",
            linkerSettings: [.linkedLibrary("ssl"), .linkedLibrary("crypto")]
        ),
        .systemLibrary(name: "CLibPQ", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),
        // zlib, for the agent's spool blocks.
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        // glibc's mallopt, for the agent's malloc arena limit.
        .systemLibrary(name: "CMalloc"),

        // Libraries, bottom-up.
        .target(name: "HeimdallSystem", dependencies: [logging], swiftSettings: strict),
        .target(name: "HeimdallProtocol", dependencies: [nio], swiftSettings: strict),
        .target(name: "HeimdallTLS", dependencies: ["CHeimdallOpenSSL", nio, logging], swiftSettings: strict),
        .target(
            name: "HeimdallStore",
            dependencies: ["CLibPQ", "HeimdallProtocol", "HeimdallSystem", nioPosix, logging],
            swiftSettings: strict
        ),
        .target(
            name: "HeimdallPKI",
            dependencies: ["CHeimdallOpenSSL", "HeimdallProtocol", "HeimdallTLS", "HeimdallStore", "HeimdallSystem", logging],
            swiftSettings: strict
        ),
        .target(
            name: "HeimdallHub",
            dependencies: ["HeimdallProtocol", "HeimdallTLS", "HeimdallStore", "HeimdallPKI", nio, nioPosix, logging],
            swiftSettings: strict
        ),
        .target(
            name: "HeimdallAgent",
            dependencies: ["CZlib", "HeimdallProtocol", "HeimdallTLS", "HeimdallSystem", nio, nioPosix, logging],
            swiftSettings: strict
        ),
        .target(name: "HeimdallAudit", dependencies: ["HeimdallStore", "HeimdallPKI", "HeimdallProtocol", logging], swiftSettings: strict),
        // Shared by all four executables, so it must not depend on HeimdallStore (the agent uses it).
        .target(
            name: "HeimdallBench",
            dependencies: [
                "HeimdallProtocol", "HeimdallTLS", "HeimdallStore", "HeimdallPKI", "HeimdallSystem", nio, nioPosix, logging,
                .product(name: "Histogram", package: "hdrhistogram-swift"),
            ],
            swiftSettings: strict
        ),
        .target(name: "HeimdallCLI", dependencies: ["HeimdallProtocol", argumentParser, logging], swiftSettings: strict),

        // Thin executables: argument parsing and wiring only.
        .executableTarget(name: "heimdall-hub", dependencies: ["HeimdallHub", "HeimdallCLI", "HeimdallSystem", argumentParser, nio], swiftSettings: strict),
        // --no-export-dynamic: nothing looks the agent's own symbols up at run time, and the
        // dynamic symbol table (12,000 entries) costs 1.8 MiB of resident pages (PERFORMANCE.md).
        .executableTarget(
            name: "heimdall-agent", dependencies: ["CMalloc", "HeimdallAgent", "HeimdallCLI", argumentParser, nio], swiftSettings: strict,
            linkerSettings: [.unsafeFlags(["-Xlinker", "--no-export-dynamic"], .when(platforms: [.linux]))]
        ),
        .executableTarget(
            name: "heimdall-bench", dependencies: ["HeimdallBench", "HeimdallCLI", "HeimdallStore", "HeimdallProtocol", argumentParser],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "heimdall-pki", dependencies: ["HeimdallPKI", "HeimdallAudit", "HeimdallStore", "HeimdallCLI", argumentParser, logging],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "heimdall-audit",
            dependencies: ["HeimdallAudit", "HeimdallStore", "HeimdallProtocol", "HeimdallCLI", argumentParser, logging],
            swiftSettings: strict
        ),

        // Shared fixtures for the test targets: throwaway PostgreSQL cluster, per-run PKI.
        .target(
            name: "HeimdallTestSupport",
            dependencies: ["HeimdallStore", "HeimdallPKI", "HeimdallTLS", "HeimdallSystem", nioPosix, logging],
            path: "Tests/HeimdallTestSupport",
            swiftSettings: strict
        ),

        // Tests mirror the modules.
        .testTarget(name: "HeimdallSystemTests", dependencies: ["HeimdallSystem"], swiftSettings: strict),
        .testTarget(name: "HeimdallProtocolTests", dependencies: ["HeimdallProtocol", nio, nioEmbedded, nioTestUtils], swiftSettings: strict),
        .testTarget(
            name: "HeimdallTLSTests",
            dependencies: ["HeimdallTLS", "HeimdallTestSupport", nio, nioPosix, nioEmbedded],
            swiftSettings: strict
        ),
        .testTarget(name: "HeimdallStoreTests", dependencies: ["HeimdallStore", "HeimdallTestSupport"], swiftSettings: strict),
        .testTarget(
            name: "HeimdallPKITests", dependencies: ["HeimdallPKI", "HeimdallStore", "HeimdallSystem", "HeimdallTestSupport"], swiftSettings: strict
        ),
        .testTarget(
            name: "HeimdallHubTests",
            dependencies: ["HeimdallHub", "HeimdallAgent", "HeimdallPKI", "HeimdallTestSupport", "HeimdallSystem", nio, nioPosix, nioEmbedded],
            swiftSettings: strict
        ),
        .testTarget(name: "HeimdallAgentTests", dependencies: ["HeimdallAgent", "HeimdallTestSupport", nio, nioEmbedded], swiftSettings: strict),
        .testTarget(
            name: "HeimdallAuditTests", dependencies: ["HeimdallAudit", "HeimdallStore", "HeimdallProtocol", "HeimdallTestSupport"], swiftSettings: strict
        ),
        .testTarget(name: "HeimdallCLITests", dependencies: ["HeimdallCLI", argumentParser], swiftSettings: strict),
        .testTarget(name: "HeimdallBenchTests", dependencies: ["HeimdallBench", "HeimdallHub", "HeimdallTestSupport"], swiftSettings: strict),
        // The four executables as processes: kill -9, restarts, the CLI contract.
        .testTarget(
            name: "HeimdallEndToEndTests", dependencies: ["HeimdallTestSupport", "HeimdallSystem", "HeimdallStore", "HeimdallPKI", "HeimdallTLS"],
            swiftSettings: strict
        ),
    ]
)
