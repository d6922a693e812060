import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `oss cp --checkpoint-dir` killed with SIGKILL in the middle of a transfer (no handler runs, no
/// cleanup), then run again: the second run must take over the finished parts, transfer only
/// the rest, and end CRC-verified with the right bytes.
@Suite("Transfers killed with SIGKILL resume from their checkpoint")
struct KilledTransferTests {
    static let partCount = 48

    @Test func killedUploadAndDownloadResume() throws {
        let server = try ServerProcess()
        defer { server.stop() }
        let work = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: work) }
        let source = work.appendingPathComponent("big.bin")
        let bytes = Self.content(mebibytes: Self.partCount)
        try bytes.write(to: source)
        let checkpoints = work.appendingPathComponent("checkpoints")
        let transfer = ["--quiet", "--checkpoint-dir", checkpoints.path, "--part-size", "1", "--parallel", "2"]

        // Upload: killed once three parts are recorded; nothing is visible in the bucket.
        let upload = ["cp"] + transfer + [source.path, "oss://cli/big.bin"]
        let uploadDone = try Self.kill(server, upload, whenCheckpointIn: checkpoints, records: 3)
        #expect(try server.run(["stat", "oss://cli/big.bin"]).status != 0, "a killed upload must not be visible")
        let resumedUpload = try server.run(upload)
        #expect(resumedUpload.status == 0, "\(resumedUpload.standardError)")
        #expect(resumedUpload.standardOutput.contains("CRC-64 verified"), "\(resumedUpload.standardOutput)")
        let uploadResumed = Self.resumedParts(resumedUpload.standardOutput)
        #expect(uploadResumed >= uploadDone && uploadResumed < Self.partCount, "\(resumedUpload.standardOutput)")
        #expect(try Self.files(in: checkpoints) == [], "a finished transfer removes its checkpoint")
        let verify = try server.run(["verify", "oss://cli/big.bin", source.path])
        #expect(verify.status == 0, "\(verify.standardOutput) \(verify.standardError)")

        // Download: killed the same way; the destination does not exist until the verified end.
        let destination = work.appendingPathComponent("down/big.out")
        try FileManager.default.createDirectory(at: destination.deletingLastPathComponent(), withIntermediateDirectories: true)
        let download = ["cp"] + transfer + ["oss://cli/big.bin", destination.path]
        let downloadDone = try Self.kill(server, download, whenCheckpointIn: checkpoints, records: 3)
        #expect(!FileManager.default.fileExists(atPath: destination.path), "a killed download must not publish a file")
        let resumedDownload = try server.run(download)
        #expect(resumedDownload.status == 0, "\(resumedDownload.standardError)")
        #expect(resumedDownload.standardOutput.contains("CRC-64 verified"), "\(resumedDownload.standardOutput)")
        let downloadResumed = Self.resumedParts(resumedDownload.standardOutput)
        #expect(downloadResumed >= downloadDone && downloadResumed < Self.partCount, "\(resumedDownload.standardOutput)")
        #expect(try Data(contentsOf: destination) == bytes)
        #expect(try Self.files(in: destination.deletingLastPathComponent()) == ["big.out"], "no temporary file left")
        #expect(try Self.files(in: checkpoints) == [])
    }

    /// Starts `arguments`, polls the checkpoint folder, and sends SIGKILL as soon as a checkpoint
    /// records `records` finished parts. Returns how many it recorded when the process died.
    static func kill(
        _ server: ServerProcess, _ arguments: [String], whenCheckpointIn folder: URL, records: Int
    ) throws -> Int {
        let process = Process()
        process.executableURL = CLIRunner.executable
        process.arguments = arguments + ["--endpoint", server.endpoint]
        process.environment = CLIRunner.environment(server.environment)
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(120)
        while process.isRunning, Date() < deadline, recordedParts(in: folder) < records {
            usleep(500)
        }
        let wasRunning = process.isRunning
        Glibc.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        try #require(wasRunning, "the transfer ended before it could be killed: make it larger")
        #expect(process.terminationReason == .uncaughtSignal)
        let recorded = recordedParts(in: folder)
        try #require(recorded >= records && recorded < partCount, "killed with \(recorded) parts recorded")
        return recorded
    }

    /// Finished parts in the folder's checkpoint: an upload lists `parts`; a download's `done`
    /// maps part numbers to CRCs (JSONEncoder writes an Int-keyed map as [key, value, …]).
    static func recordedParts(in folder: URL) -> Int {
        guard let name = (try? files(in: folder))?.first(where: { $0.hasSuffix(".json") }),
            let data = FileManager.default.contents(atPath: folder.appendingPathComponent(name).path),
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        else { return 0 }
        if let parts = object["parts"] as? [Any] { return parts.count }
        if let done = object["done"] as? [Any] { return done.count / 2 }
        if let done = object["done"] as? [String: Any] { return done.count }
        return 0
    }

    /// N from "(resumed: N of M parts were already done)"; 0 when the line has none.
    static func resumedParts(_ output: String) -> Int {
        guard let range = output.range(of: "(resumed: ") else { return 0 }
        return Int(output[range.upperBound...].prefix { $0.isNumber }) ?? 0
    }

    static func files(in folder: URL) throws -> [String] {
        guard FileManager.default.fileExists(atPath: folder.path) else { return [] }
        return try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
    }

    /// `mebibytes` MiB in which every MiB differs (a pseudo-random block stamped with its
    /// index), so a part written to the wrong place cannot go unnoticed.
    static func content(mebibytes: Int) -> Data {
        var block = [UInt8](repeating: 0, count: 1 << 20)
        var state: UInt64 = 0x2545_F491_4F6C_DD1D
        for index in stride(from: 0, to: block.count, by: 8) {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            withUnsafeBytes(of: state) { block.replaceSubrange(index..<index + 8, with: $0) }
        }
        var data = Data(capacity: mebibytes << 20)
        for part in 0..<mebibytes {
            withUnsafeBytes(of: UInt64(part)) { block.replaceSubrange(0..<8, with: $0) }
            data.append(contentsOf: block)
        }
        return data
    }
}
