import Foundation
import Testing

@testable import OSSServer

/// A data directory on a file system of its own, small enough to fill: a tmpfs, which only root
/// may mount (CI runs as root).
@Suite("A full disk: deletes still work and free space", .enabled(if: SmallFileSystem.canMount, "needs root to mount a small tmpfs"), .sqliteOnly)
struct FullDiskTests {
    @Test("once the disk is completely full, DeleteObject succeeds (the reserve is given up) and writes work again")
    func deleteOnFullDisk() async throws {
        let mountPoint = FileManager.default.temporaryDirectory.appendingPathComponent("swift-oss-full-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: mountPoint, withIntermediateDirectories: true)
        try #require(try SmallFileSystem.run(["/bin/mount", "-t", "tmpfs", "-o", "size=12m", "tmpfs", mountPoint]) == 0)
        defer {
            _ = try? SmallFileSystem.run(["/bin/umount", "-l", mountPoint])
            try? FileManager.default.removeItem(atPath: mountPoint)
        }
        var configuration = testConfiguration()
        configuration.diskReserve = 1 << 20
        let storage = try await ObjectStorage.open(directory: mountPoint + "/data", configuration: configuration)
        _ = try await storage.createBucket("bkt", location: "oss-test")
        #expect(storage.reserve.isPresent)

        // Fill the disk: large objects first, then ever smaller ones, until not even one byte fits.
        var stored: [String] = []
        for size in [1 << 20, 64 << 10, 4 << 10, 1] {
            while true {
                do {
                    let key = "fill-\(stored.count)"
                    _ = try await storage.putObject(bucket: "bkt", key: key, body: TestBody(testBytes(size)))
                    stored.append(key)
                } catch let error as StorageError where error.isDiskFull {
                    break
                }
            }
        }
        try #require(stored.count > 4)

        try await storage.deleteObject(bucket: "bkt", key: stored[0])
        await #expect(throws: StorageError.noSuchKey(bucket: "bkt", key: stored[0])) {
            try await storage.objectInfo(bucket: "bkt", key: stored[0])
        }
        try await storage.deleteObjects(bucket: "bkt", keys: Array(stored[1...3]))
        let again = testBytes(100_000)
        _ = try await storage.putObject(bucket: "bkt", key: "after", body: TestBody(again))
        #expect(try await read(storage, "after") == again)
    }
}

/// Runs mount(8) and umount(8) for tests that need a file system of a chosen size.
enum SmallFileSystem {
    static let canMount: Bool = getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/bin/mount")

    static func run(_ arguments: [String]) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: arguments[0])
        process.arguments = Array(arguments.dropFirst())
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }
}
