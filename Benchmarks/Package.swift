// swift-tools-version: 6.1
//
// CRC-64 benchmarks for swift-oss, kept out of the main package (as swift-nio does) so that
// neither the main package nor its CI ever needs the anchor libraries linked here.
//
//   cd Benchmarks && ./run.sh            # or: swift run -c release crc64-bench [--quick]
//   swift run -c release crc64-dual-bench # CRC-64/XZ and CRC-64/NVME in one pass, in CPU time
//
// Anchors: ISA-L `crc64_ecma_refl` (Debian libisal-dev) and liblzma `lzma_crc64` (liblzma-dev).
import PackageDescription

let package = Package(
    name: "swift-oss-benchmarks",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(name: "swift-oss", path: "../")
    ],
    targets: [
        // ISA-L: `crc64_ecma_refl`.
        .systemLibrary(
            name: "CISAL",
            pkgConfig: "libisal",
            providers: [.apt(["libisal-dev"]), .brew(["isa-l"])]
        ),
        // liblzma (XZ Utils): `lzma_crc64`.
        .systemLibrary(
            name: "CLZMA",
            pkgConfig: "liblzma",
            providers: [.apt(["liblzma-dev"]), .brew(["xz"])]
        ),
        // The memory-read baseline and optimisation barriers, in C.
        .target(name: "BenchSupport"),
        .executableTarget(
            name: "crc64-bench",
            dependencies: [
                .product(name: "CRC64", package: "swift-oss"),
                "CISAL",
                "CLZMA",
                "BenchSupport",
            ]
        ),
        // What the server's second CRC (CRC-64/NVME beside CRC-64/XZ) costs, in CPU time: no anchors.
        .executableTarget(
            name: "crc64-dual-bench",
            dependencies: [
                .product(name: "CRC64", package: "swift-oss"),
                "BenchSupport",
            ]
        ),
    ]
)
