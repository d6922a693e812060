import Foundation
import Testing

@Suite("oss serve raises its open-file limit")
struct ServeLimitsTests {
    /// The soft and hard "Max open files" of a running process, from /proc (Linux).
    static func openFileLimits(of pid: Int32) throws -> (soft: String, hard: String) {
        let text = try String(contentsOfFile: "/proc/\(pid)/limits", encoding: .utf8)
        let line = try #require(text.split(separator: "\n").first { $0.hasPrefix("Max open files") })
        let fields = line.dropFirst("Max open files".count).split(separator: " ").map(String.init)
        return (fields[0], fields[1])
    }

    /// With the common soft default of 1024 descriptors, about a thousand idle connections would
    /// stop all service; the server lifts its soft limit to the hard one at start.
    @Test("the server's soft limit equals its hard limit once it listens", .enabled(if: FileManager.default.fileExists(atPath: "/proc/self/limits")))
    func softLimitRaised() throws {
        let server = try ServerProcess(serverEnvironment: [:], openFileSoftLimit: 256)
        defer { server.stop() }
        let limits = try Self.openFileLimits(of: server.process.processIdentifier)
        #expect(limits.soft == limits.hard, "soft \(limits.soft), hard \(limits.hard)")
        #expect(limits.soft != "256")
    }
}
