// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "swift-oss",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "CRC64", targets: ["CRC64"]),
        .library(name: "OSSClient", targets: ["OSSClient"]),
        .executable(name: "oss", targets: ["oss"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        // Tests only: a certificate authority made by the TLS tests.
        .package(url: "https://github.com/apple/swift-certificates", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-asn1", from: "1.7.4"),
    ],
    targets: [
        // C kernels only: carry-less folding per ISA and CPU detection.
        .target(name: "CCRC64"),
        // Public CRC-64 API: variants, streaming hasher, combine, kernel dispatch.
        .target(name: "CRC64", dependencies: ["CCRC64"]),
        // Wire rules shared by server and client: headers, XML bodies, errors, V1/V4 signing.
        .target(
            name: "OSSProtocol",
            dependencies: [.product(name: "Crypto", package: "swift-crypto")]
        ),
        // The OSS-compatible object server: HTTP handlers and the storage engine.
        .target(
            name: "OSSServer",
            dependencies: [
                "CRC64",
                "OSSProtocol",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),
        // The Swift SDK: every transfer verified with CRC-64; parallel and resumable transfers.
        .target(
            name: "OSSClient",
            dependencies: [
                "CRC64",
                "OSSProtocol",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The `oss` command line tool.
        .executableTarget(
            name: "oss",
            dependencies: [
                "CRC64",
                "OSSClient",
                "OSSProtocol",
                "OSSServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(name: "CRC64Tests", dependencies: ["CRC64"], resources: [.copy("Resources")]),
        .testTarget(name: "ossTests", dependencies: ["oss", "OSSClient"]),
        .testTarget(
            name: "OSSClientTests",
            dependencies: [
                "OSSClient",
                "OSSServer",
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .testTarget(name: "OSSProtocolTests", dependencies: ["OSSProtocol"]),
        .testTarget(
            name: "OSSServerTests",
            dependencies: [
                "OSSServer",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ]
        ),
    ]
)
