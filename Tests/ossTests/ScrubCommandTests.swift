import Foundation
import Testing

/// `oss scrub` on a stopped server's data folder: damage found, listed and marked, the server
/// then refusing the object; `--forget` clears a mark; a running server's folder is refused.
@Suite(.serialized) struct ScrubCommandTests {
    /// The blob files under a data folder.
    static func blobFiles(_ data: URL) throws -> [URL] {
        let blobs = data.appendingPathComponent("blobs")
        return try FileManager.default.subpathsOfDirectory(atPath: blobs.path)
            .map { blobs.appendingPathComponent($0) }
            .filter { (try? $0.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true }
    }

    @Test func findsListsAndMarksDamageOnAStoppedServersFolder() throws {
        let folder = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let source = folder.appendingPathComponent("source.bin")
        try Data((0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }).write(to: source)
        var server = try ServerProcess()
        let data = server.dataDirectory
        defer { try? FileManager.default.removeItem(at: data) }
        #expect(try server.run(["cp", source.path, "oss://cli/photos/rotten.bin"]).status == 0)
        #expect(try server.run(["cp", source.path, "oss://cli/whole.bin"]).status == 0)
        // A running server's folder is not scrubbed offline.
        let refused = try CLIRunner.run(["scrub", "--data", data.path])
        #expect(refused.status != 0 && refused.standardError.contains("POST /scrub"), "\(refused.standardError)")
        server.stop(keepingData: true)

        // Both uploads have the same bytes, so one blob each with the same content: damage the first.
        let blobs = try Self.blobFiles(data)
        try #require(blobs.count == 2)
        let handle = try FileHandle(forUpdating: blobs[0])
        try handle.seek(toOffset: 123_456)
        try handle.write(contentsOf: Data([0xFF]))
        try handle.close()

        let scrub = try CLIRunner.run(["scrub", "--data", data.path])
        #expect(scrub.status == 1, "\(scrub.standardError)")
        #expect(scrub.standardOutput.contains("checked 2 blobs"), "\(scrub.standardOutput)")
        #expect(scrub.standardOutput.contains("found damaged by this pass: 1"))
        let rows = scrub.standardOutput.split(separator: "\n").filter { $0.hasPrefix("cli ") }
        #expect(rows.count == 1 && rows[0].contains("CRC-64"), "\(scrub.standardOutput)")
        let damagedKey = rows.first?.contains("photos/rotten.bin") == true ? "photos/rotten.bin" : "whole.bin"

        server = try ServerProcess(dataDirectory: data)
        let refusedRead = try server.run(["cat", "oss://cli/\(damagedKey)"])
        #expect(refusedRead.status != 0 && refusedRead.standardError.contains("InternalError"), "\(refusedRead.standardError)")
        server.stop(keepingData: true)

        // The bytes put back by hand, the mark cleared: served again.
        let restore = try FileHandle(forUpdating: blobs[0])
        try restore.seek(toOffset: 123_456)
        try restore.write(contentsOf: try Data(contentsOf: source)[123_456..<123_457])
        try restore.close()
        let forget = try CLIRunner.run(["scrub", "--data", data.path, "--forget", "cli/\(damagedKey)"])
        #expect(forget.status == 0 && forget.standardOutput.contains("cleared the damage mark of 1 version"), "\(forget.standardOutput)")
        let clean = try CLIRunner.run(["scrub", "--data", data.path])
        #expect(clean.status == 0 && clean.standardOutput.contains("no object is marked damaged"), "\(clean.standardOutput)")
        server = try ServerProcess(dataDirectory: data)
        defer { server.stop(keepingData: true) }
        #expect(try server.run(["cat", "oss://cli/\(damagedKey)"]).status == 0)
    }

    @Test func badOptionsAreRefusedInOneLine() throws {
        let rate = try CLIRunner.run(["scrub", "--rate", "0"])
        #expect(rate.status != 0 && rate.standardError.contains("--rate must be a positive number"))
        let forget = try CLIRunner.run(["scrub", "--forget", "no-slash"])
        #expect(forget.status != 0 && forget.standardError.contains("--forget takes BUCKET/KEY"))
        let missing = try CLIRunner.run(["scrub", "--data", "/nonexistent/folder"])
        #expect(missing.status != 0 && missing.standardError.contains("there is no data folder"))
    }
}
