import Foundation

#if canImport(Glibc)
import Glibc
#endif
import Testing

@Suite("oss serve start-up errors")
struct ServeStartupTests {
    @Test("an address in use is refused in one line naming it and the fix, before the data folder is created")
    func addressInUse() throws {
        // A listener holds the port for the whole test.
        let listener = try LoopbackSocket(listening: true)
        defer { listener.close() }
        let port = listener.port
        let work = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: work) }
        let data = work.appendingPathComponent("data").path
        let result = try CLIRunner.run(["serve", "--address", "127.0.0.1:\(port)", "--data", data])
        #expect(result.status == 1)
        let lines = result.standardError.split(separator: "\n").filter { !$0.isEmpty }
        #expect(lines == ["Error: cannot listen on 127.0.0.1:\(port): the address is in use (another server?); choose another with --address, e.g. --address 127.0.0.1:0 for a free port"],
            "\(result.standardError)")
        #expect(!FileManager.default.fileExists(atPath: data), "the data folder was created for a server that could not listen")
    }

    @Test("a --bucket name that breaks a rule is refused naming the rule, before the data folder is created")
    func bucketNameRule() throws {
        let work = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: work) }
        let data = work.appendingPathComponent("data").path
        let result = try CLIRunner.run(["serve", "--address", "127.0.0.1:0", "--data", data, "--bucket", "b1"])
        #expect(result.status != 0)
        #expect(result.standardError.contains("--bucket b1: a bucket name has 3 to 63 characters; 'b1' has 2"), "\(result.standardError)")
        let upper = try CLIRunner.run(["serve", "--address", "127.0.0.1:0", "--data", data, "--bucket", "Photos"])
        #expect(upper.standardError.contains("has 'P' (upper case is not allowed)"), "\(upper.standardError)")
        #expect(!FileManager.default.fileExists(atPath: data))
    }

    @Test("a data folder that is a file, or one the server's user cannot write, or a read-only database: one line each, nothing served")
    func dataFolderProblems() throws {
        let work = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: work) }
        let file = work.appendingPathComponent("a-file")
        try Data("x".utf8).write(to: file)
        let isFile = try CLIRunner.run(["serve", "--address", "127.0.0.1:0", "--data", file.path])
        #expect(isFile.status == 1)
        #expect(isFile.standardError == "Error: --data \(file.path): a file of that name exists; give a folder (it is created if missing)\n",
            "\(isFile.standardError)")

        // Permissions only bind a user other than root: as root, the server runs as `nobody`.
        let asRoot = getuid() == 0
        let executable = work.appendingPathComponent("oss")
        try FileManager.default.copyItem(at: CLIRunner.executable, to: executable)
        func serve(_ data: URL) throws -> CLIRunner.Result {
            let arguments = ["serve", "--address", "127.0.0.1:0", "--data", data.path]
            let process = Process()
            process.executableURL = asRoot ? URL(fileURLWithPath: "/usr/bin/env") : executable
            process.arguments = asRoot ? ["runuser", "-u", "nobody", "--", executable.path] + arguments : arguments
            process.environment = CLIRunner.environment()
            let output = Pipe(), error = Pipe()
            process.standardOutput = output
            process.standardError = error
            try process.run()
            let out = output.fileHandleForReading.readDataToEndOfFile()
            let err = error.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return CLIRunner.Result(
                status: process.terminationStatus, standardOutput: String(decoding: out, as: UTF8.self),
                standardError: String(decoding: err, as: UTF8.self))
        }
        let locked = work.appendingPathComponent("locked")
        try FileManager.default.createDirectory(at: locked, withIntermediateDirectories: true)
        try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: locked.path)
        let unwritable = try serve(locked)
        #expect(unwritable.status == 1)
        #expect(unwritable.standardError == "Error: the data folder \(locked.path) is not writable: Permission denied; fix its permissions or give another --data folder\n",
            "\(unwritable.standardError)")
        #expect(!unwritable.standardOutput.contains("listening"))

        let readOnly = work.appendingPathComponent("read-only")
        try FileManager.default.createDirectory(at: readOnly, withIntermediateDirectories: true)
        let database = readOnly.appendingPathComponent("metadata.sqlite")
        try Data().write(to: database)
        try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: database.path)
        if asRoot {
            try FileManager.default.setAttributes([.ownerAccountName: "nobody"], ofItemAtPath: readOnly.path)
            try FileManager.default.setAttributes([.ownerAccountName: "nobody"], ofItemAtPath: database.path)
        }
        let readOnlyDatabase = try serve(readOnly)
        #expect(readOnlyDatabase.status == 1)
        #expect(readOnlyDatabase.standardError == "Error: the metadata database \(database.path) is not writable by this user: Permission denied; make it writable (chmod u+rw) or run as its owner\n",
            "\(readOnlyDatabase.standardError)")
        #expect(!readOnlyDatabase.standardOutput.contains("listening"))
    }

    @Test("SIGINT stops the server gracefully, with a last line saying so")
    func shutdownLine() throws {
        let server = try ServerProcess()
        let (status, output) = server.interrupt()
        #expect(status == 0)
        #expect(output == "stopped: requests in flight were finished\n", "\(output)")
    }
}
