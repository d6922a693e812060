// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "swift-oss",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "CRC64", targets: ["CRC64"]),
        .executable(name: "oss", targets: ["oss"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        // C kernels only: carry-less folding per ISA and CPU detection.
        .target(name: "CCRC64"),
        // Public CRC-64 API: variants, streaming hasher, combine, kernel dispatch.
        .target(name: "CRC64", dependencies: ["CCRC64"]),
        // The `oss` command line tool.
        .executableTarget(
            name: "oss",
            dependencies: [
                "CRC64",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "CRC64Tests", dependencies: ["CRC64"]),
    ]
)
