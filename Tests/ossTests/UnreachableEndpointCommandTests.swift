import Foundation
import Testing

@Suite("oss against an endpoint that cannot answer")
struct UnreachableEndpointCommandTests {
    @Test("a refused port fails in one line naming the endpoint and the fix, after one attempt")
    func refusedPort() throws {
        let port = try AdminListenerTests.freePort()
        let work = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: work) }
        let source = work.appendingPathComponent("file.txt")
        try Data("hello".utf8).write(to: source)
        for arguments in [["ls"], ["cp", source.path, "oss://bkt/file.txt"]] {
            let result = try CLIRunner.run(
                arguments + ["--endpoint", "http://127.0.0.1:\(port)"],
                environment: ["OSS_ACCESS_KEY_ID": "LTAIunreachable", "OSS_ACCESS_KEY_SECRET": "secret"])
            #expect(result.status == 1)
            let lines = result.standardError.split(separator: "\n").filter { !$0.isEmpty }
            #expect(lines == ["Error: cannot connect to http://127.0.0.1:\(port): connection refused; is the server (oss serve) running there?"],
                "\(arguments[0]): \(result.standardError)")
        }
    }
}

@Suite("oss credentials from the environment")
struct HalfSetCredentialsTests {
    @Test("only one of the two credential variables set is named in a warning, not silently ignored")
    func onlyOneVariable() throws {
        let port = try AdminListenerTests.freePort()
        let work = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: work) }
        let result = try CLIRunner.run(
            ["ls", "--endpoint", "http://127.0.0.1:\(port)", "--data", work.path],
            environment: ["OSS_ACCESS_KEY_ID": "LTAIhalf", "OSS_ACCESS_KEY_SECRET": ""])
        #expect(result.status != 0)
        #expect(result.standardError.contains(
            "warning: OSS_ACCESS_KEY_ID is set but OSS_ACCESS_KEY_SECRET is not; using the dev credentials of the data folder \(work.path) instead"),
            "\(result.standardError)")
    }
}
