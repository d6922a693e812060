import Foundation
import Synchronization
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Ctrl-C (SIGINT) sent to a real `oss cp` in the middle of a transfer: the command exits with
/// 130 and says what it left. With a checkpoint (the default for large files, in the user's
/// state folder) the verified parts stay and the same command resumes; without one
/// (`--no-checkpoint`) nothing is left: no unfinished upload on the server, no partial file.
@Suite("Transfers interrupted with SIGINT stop cleanly")
struct InterruptedTransferTests {
    static let mebibytes = 64

    @Test("an interrupted upload and download keep their checkpoint by default, say so, and the same command resumes")
    func checkpointedResume() throws {
        try ServerProcess.withScratch { server, work in
            let state = work.appendingPathComponent("state")
            let checkpoints = state.appendingPathComponent("oss/checkpoints")
            let environment = server.environment.merging(["XDG_STATE_HOME": state.path]) { $1 }
            let source = work.appendingPathComponent("big.bin")
            let bytes = KilledTransferTests.content(mebibytes: Self.mebibytes)
            try bytes.write(to: source)
            let transfer = ["--part-size", "1", "--jobs", "1"]

            let upload = ["cp"] + transfer + [source.path, "oss://cli/big.bin"]
            let interrupted = try Self.interrupt(server, upload, environment: environment) {
                KilledTransferTests.recordedParts(in: checkpoints) >= 2
            }
            #expect(interrupted.status == 130, "\(interrupted.standardError)")
            #expect(interrupted.standardError.contains("interrupted: the verified parts uploaded so far are kept; run the same command again to resume, or 'oss mp abort oss://cli/big.bin' to discard them"), "\(interrupted.standardError)")
            #expect(try KilledTransferTests.files(in: checkpoints).count == 1)
            let pending = try server.run(["mp", "ls", "oss://cli", "--output", "json"], extraEnvironment: environment)
            #expect(try Self.uploads(pending).map { $0["key"] as? String } == ["big.bin"])
            #expect(try server.run(["stat", "oss://cli/big.bin"]).status != 0, "an interrupted upload must not be visible")
            let resumed = try server.run(upload + ["--quiet"], extraEnvironment: environment)
            #expect(resumed.status == 0, "\(resumed.standardError)")
            #expect(KilledTransferTests.resumedParts(resumed.standardOutput) >= 2, "\(resumed.standardOutput)")
            #expect(resumed.standardOutput.contains("CRC-64 verified"))
            #expect(try KilledTransferTests.files(in: checkpoints) == [])

            let folder = work.appendingPathComponent("down")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let download = ["cp"] + transfer + ["oss://cli/big.bin", folder.path]
            let stopped = try Self.interrupt(server, download, environment: environment) {
                KilledTransferTests.recordedParts(in: checkpoints) >= 2
            }
            #expect(stopped.status == 130, "\(stopped.standardError)")
            #expect(stopped.standardError.contains("interrupted: the verified ranges downloaded so far are kept; run the same command again to resume"), "\(stopped.standardError)")
            #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("big.bin").path))
            let finished = try server.run(download + ["--quiet"], extraEnvironment: environment)
            #expect(finished.status == 0, "\(finished.standardError)")
            #expect(KilledTransferTests.resumedParts(finished.standardOutput) >= 2, "\(finished.standardOutput)")
            #expect(try Data(contentsOf: folder.appendingPathComponent("big.bin")) == bytes)
            #expect(try KilledTransferTests.files(in: folder) == ["big.bin"], "no temporary file left")
            #expect(try KilledTransferTests.files(in: checkpoints) == [])
        }
    }

    @Test("without a checkpoint an interrupted upload is aborted and an interrupted download removes its partial file")
    func nothingLeftBehind() throws {
        try ServerProcess.withScratch { server, work in
            let state = work.appendingPathComponent("state")
            let environment = server.environment.merging(["XDG_STATE_HOME": state.path]) { $1 }
            let source = work.appendingPathComponent("big.bin")
            try KilledTransferTests.content(mebibytes: Self.mebibytes).write(to: source)
            let transfer = ["--no-checkpoint", "--part-size", "1", "--jobs", "1"]

            // Started once the first progress line is out: the multipart upload exists by then.
            let upload = try Self.interrupt(server, ["cp"] + transfer + [source.path, "oss://cli/up.bin"], environment: environment)
            #expect(upload.status == 130, "\(upload.standardError)")
            #expect(upload.standardError.contains("interrupted: nothing was left behind"), "\(upload.standardError)")
            let pending = try server.run(["mp", "ls", "oss://cli", "--output", "json"], extraEnvironment: environment)
            #expect(try Self.uploads(pending).isEmpty, "an interrupted upload without a checkpoint must be aborted")
            #expect(try server.run(["stat", "oss://cli/up.bin"]).status != 0)

            let stored = try server.run(["cp", "--quiet", source.path, "oss://cli/whole.bin"], extraEnvironment: environment)
            try #require(stored.status == 0, "\(stored.standardError)")
            let folder = work.appendingPathComponent("down")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let download = try Self.interrupt(server, ["cp"] + transfer + ["oss://cli/whole.bin", folder.path], environment: environment)
            #expect(download.status == 130, "\(download.standardError)")
            #expect(download.standardError.contains("interrupted: nothing was left behind"), "\(download.standardError)")
            #expect(try KilledTransferTests.files(in: folder) == [], "an interrupted download must leave no file")
            #expect(try KilledTransferTests.files(in: state.appendingPathComponent("oss/checkpoints")) == [])
        }
    }

    /// Starts `arguments` with standard error on a pipe and sends SIGINT once `ready` holds
    /// (by default: once the first progress line was printed, so the transfer is under way).
    static func interrupt(
        _ server: ServerProcess, _ arguments: [String], environment: [String: String],
        when ready: (() -> Bool)? = nil
    ) throws -> CLIRunner.Result {
        let process = Process()
        process.executableURL = CLIRunner.executable
        process.arguments = arguments + ["--endpoint", server.endpoint]
        process.environment = CLIRunner.environment(environment)
        let output = Pipe(), error = Pipe()
        process.standardOutput = output
        process.standardError = error
        let collected = Mutex(Data())
        error.fileHandleForReading.readabilityHandler = { handle in
            let data = handle.availableData
            collected.withLock { $0.append(data) }
        }
        try process.run()
        let started = { collected.withLock { String(decoding: $0, as: UTF8.self) }.contains("%") }
        let deadline = Date().addingTimeInterval(120)
        while process.isRunning, Date() < deadline, !(ready ?? started)() { usleep(500) }
        let wasRunning = process.isRunning
        kill(process.processIdentifier, SIGINT)
        let out = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        error.fileHandleForReading.readabilityHandler = nil
        let rest = error.fileHandleForReading.readDataToEndOfFile()
        try #require(wasRunning, "the transfer ended before it could be interrupted: make it larger")
        return CLIRunner.Result(
            status: process.terminationStatus, standardOutput: String(decoding: out, as: UTF8.self),
            standardError: collected.withLock { String(decoding: $0 + rest, as: UTF8.self) })
    }

    /// The uploads of `oss mp ls --output json`.
    static func uploads(_ result: CLIRunner.Result) throws -> [[String: Any]] {
        try #require(result.status == 0, "\(result.standardError)")
        let parsed = try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8))
        return try #require(parsed as? [[String: Any]], "\(result.standardOutput)")
    }
}
