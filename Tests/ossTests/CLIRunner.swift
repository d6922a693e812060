import Foundation

/// Runs the built `oss` executable and captures what it prints.
struct CLIRunner {
    struct Result {
        var status: Int32
        var standardOutput: String
        var standardError: String
    }

    /// The `oss` binary next to the test bundle in the build products folder.
    static let executable: URL = {
        var directory = Bundle.main.bundleURL
        while !FileManager.default.fileExists(atPath: directory.appendingPathComponent("oss").path),
            directory.pathComponents.count > 1
        {
            directory.deleteLastPathComponent()
        }
        return directory.appendingPathComponent("oss")
    }()

    /// A home folder of the test run's own: `oss` keeps checkpoints and reads profiles in the
    /// user's folders, and a test must neither write into the real ones nor read them.
    static let home: URL = {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("oss-cli-home-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }()

    /// The test process's environment with ``home`` as the user's, and `extra` on top.
    static func environment(_ extra: [String: String] = [:]) -> [String: String] {
        ProcessInfo.processInfo.environment
            .merging([
                "HOME": home.path, "XDG_STATE_HOME": home.appendingPathComponent(".local/state").path,
                "XDG_CONFIG_HOME": home.appendingPathComponent(".config").path,
                "XDG_CACHE_HOME": home.appendingPathComponent(".cache").path,
            ]) { $1 }
            .merging(extra) { $1 }
    }

    /// Like ``run(_:input:environment:)`` with standard output kept as bytes (for binary output).
    static func runCapturingData(_ arguments: [String], environment: [String: String] = [:]) throws
        -> (status: Int32, standardOutput: Data, standardError: String)
    {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.environment = Self.environment(environment)
        let output = Pipe(), error = Pipe()
        process.standardOutput = output
        process.standardError = error
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let out = output.fileHandleForReading.readDataToEndOfFile()
        let err = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, out, String(decoding: err, as: UTF8.self))
    }

    static func run(_ arguments: [String], input: Data? = nil, environment: [String: String] = [:]) throws -> Result {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.environment = Self.environment(environment)
        let output = Pipe(), error = Pipe(), stdin = Pipe()
        process.standardOutput = output
        process.standardError = error
        process.standardInput = stdin
        try process.run()
        if let input { stdin.fileHandleForWriting.write(input) }
        try stdin.fileHandleForWriting.close()
        let out = output.fileHandleForReading.readDataToEndOfFile()
        let err = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus,
            standardOutput: String(decoding: out, as: UTF8.self),
            standardError: String(decoding: err, as: UTF8.self)
        )
    }

    /// A fresh temporary directory, removed by the caller.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("oss-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
