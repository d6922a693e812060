import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// `oss serve` in a child process on a free port and a fresh data folder, for CLI tests.
final class ServerProcess {
    let process = Process()
    let dataDirectory: URL
    let endpoint: String
    let environment: [String: String]

    /// - Parameters:
    ///   - serverEnvironment: variables only the server sees (an `LD_PRELOAD`, say).
    ///   - openFileSoftLimit: a soft open-file limit to start the server with (through the shell's
    ///     `ulimit`, which then execs the server in the same process).
    ///   - dataDirectory: the data folder of an earlier server to start on; a fresh one by default.
    ///   - extraArguments: more options for `oss serve`.
    init(
        serverEnvironment: [String: String] = [:], openFileSoftLimit: Int? = nil, dataDirectory: URL? = nil,
        extraArguments: [String] = []
    ) throws {
        self.dataDirectory = try dataDirectory ?? CLIRunner.temporaryDirectory()
        environment = ["OSS_ACCESS_KEY_ID": "LTAIcli", "OSS_ACCESS_KEY_SECRET": "cli-secret"]
        let serve = ["serve", "--address", "127.0.0.1:0", "--data", self.dataDirectory.path, "--bucket", "cli", "--log-level", "warning"]
            + extraArguments
        if let openFileSoftLimit {
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", "ulimit -Sn \(openFileSoftLimit) && exec \"$0\" \"$@\"", CLIRunner.executable.path] + serve
        } else {
            process.executableURL = CLIRunner.executable
            process.arguments = serve
        }
        process.environment = CLIRunner.environment(environment.merging(serverEnvironment) { $1 })
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        var text = ""
        let handle = output.fileHandleForReading
        while !text.contains("listening on http://") || !text.hasSuffix("\n") {
            let data = handle.availableData
            guard !data.isEmpty else { break }
            text += String(decoding: data, as: UTF8.self)
        }
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("listening on ") }) else {
            process.terminate()
            throw CLIError("oss serve did not start: \(text)")
        }
        endpoint = String(line.dropFirst("listening on ".count))
        startupOutput = text
        outputHandle = handle
    }

    private let outputHandle: FileHandle

    /// Sends SIGINT (Ctrl-C), waits for the server to end, and returns what it printed after
    /// its start-up lines.
    func interrupt() -> (status: Int32, output: String) {
        kill(process.processIdentifier, SIGINT)
        let rest = outputHandle.readDataToEndOfFile()
        process.waitUntilExit()
        try? FileManager.default.removeItem(at: dataDirectory)
        return (process.terminationStatus, String(decoding: rest, as: UTF8.self))
    }

    /// A fresh server and a scratch folder for `body`, both removed afterwards.
    static func withScratch(_ body: (ServerProcess, URL) throws -> Void) throws {
        let server = try ServerProcess()
        defer { server.stop() }
        let work = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: work) }
        try body(server, work)
    }

    /// What the server printed up to its `listening on` line.
    let startupOutput: String

    /// Runs an `oss` client command against this server.
    func run(_ arguments: [String], extraEnvironment: [String: String] = [:]) throws -> CLIRunner.Result {
        try CLIRunner.run(
            arguments + ["--endpoint", endpoint], environment: environment.merging(extraEnvironment) { $1 })
    }

    /// Stops the server (SIGTERM) and removes its data folder unless asked to keep it.
    func stop(keepingData: Bool = false) {
        process.terminate()
        process.waitUntilExit()
        if !keepingData { try? FileManager.default.removeItem(at: dataDirectory) }
    }
}

struct CLIError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
