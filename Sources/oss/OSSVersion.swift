import CRC64

/// What `oss --version` prints: the release, and the CRC-64 kernel this CPU runs (the one
/// fact about a build that differs between machines and matters for speed).
enum OSSVersion {
    static let number = "0.17.0"

    static var line: String {
        "oss \(number) (swift-oss; CRC-64 kernel \(CRC64Kernel.best.name))"
    }
}
