import Foundation
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `oss serve --admin-address`: health checks from a real server process.
@Suite(.serialized) struct AdminListenerTests {
    /// A loopback port nobody listens on now.
    static func freePort() throws -> Int {
        let socket = try LoopbackSocket(listening: false)
        socket.close()
        return socket.port
    }

    @Test("the server answers /health/ready on its admin address, with the token the file holds, and says where")
    func readyWithToken() async throws {
        let work = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: work) }
        let tokenFile = work.appendingPathComponent("token")
        try Data("health-token-1\n".utf8).write(to: tokenFile)
        let port = try Self.freePort()
        let server = try ServerProcess(extraArguments: ["--admin-address", "127.0.0.1:\(port)", "--admin-token-file", tokenFile.path])
        defer { server.stop() }
        #expect(server.startupOutput.contains("health:          http://127.0.0.1:\(port)/health/ready (bearer token)"))
        var request = URLRequest(url: try #require(URL(string: "http://127.0.0.1:\(port)/health/ready")))
        let (_, refused) = try await URLSession.shared.data(for: request)
        #expect((refused as? HTTPURLResponse)?.statusCode == 401)
        request.setValue("Bearer health-token-1", forHTTPHeaderField: "Authorization")
        let (body, ready) = try await URLSession.shared.data(for: request)
        #expect((ready as? HTTPURLResponse)?.statusCode == 200)
        #expect(String(decoding: body, as: UTF8.self) == "metadata: ok\nblobs: ok\n")
    }

    @Test("admin options that cannot work are refused at start with one line naming the fix")
    func refusedOptions() throws {
        let work = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: work) }
        let lonely = try CLIRunner.run(["serve", "--data", work.path, "--admin-token-file", "/nonexistent"])
        #expect(lonely.status != 0)
        #expect(lonely.standardError.contains("--admin-token-file needs --admin-address HOST:PORT"))
        let missing = try CLIRunner.run(["serve", "--data", work.path, "--admin-address", "127.0.0.1:0", "--admin-token-file", "/nonexistent"])
        #expect(missing.status != 0)
        #expect(missing.standardError.contains("--admin-token-file /nonexistent: cannot read it"))
        let badAddress = try CLIRunner.run(["serve", "--data", work.path, "--admin-address", "nowhere"])
        #expect(badAddress.status != 0)
        #expect(badAddress.standardError.contains("--admin-address must be HOST:PORT"))
    }
}
