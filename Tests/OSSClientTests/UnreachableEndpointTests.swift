import Foundation
import NIOCore
import NIOPosix
import OSSClient
import Testing

/// Endpoints that cannot answer fail at once with one line naming the endpoint and the likely
/// fix: asking again would only repeat the failure, so none is asked again.
@Suite("Unreachable endpoints")
struct UnreachableEndpointTests {
    /// A loopback port nothing listens on: bound, then closed.
    static func closedPort() async throws -> Int {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(host: "127.0.0.1", port: 0).get()
        let port = try #require(channel.localAddress?.port)
        try await channel.close()
        return port
    }

    @Test("a refused connection is not retried, and says to check that the server runs")
    func connectionRefused() async throws {
        let port = try await Self.closedPort()
        let client = TestServer.client(port: port)
        let error = await #expect(throws: OSSClientError.self) { _ = try await client.listBuckets() }
        try await client.shutdown()
        let failure = try #require(error?.transportFailure, "\(String(describing: error))")
        #expect(failure.kind == .connectionRefused)
        #expect(failure.attempts == 1)
        #expect(failure.description == "cannot connect to http://127.0.0.1:\(port): connection refused; is the server (oss serve) running there?")
    }

    @Test("a host name that does not resolve is not retried, and says to check the endpoint")
    func hostNotFound() async throws {
        // `.invalid` never resolves (RFC 2606).
        let client = TestServer.client(port: 9000, endpoint: "http://no-such-host.invalid:9000")
        let error = await #expect(throws: OSSClientError.self) { _ = try await client.listBuckets() }
        try await client.shutdown()
        let failure = try #require(error?.transportFailure, "\(String(describing: error))")
        #expect(failure.kind == .hostNotFound)
        #expect(failure.attempts == 1)
        #expect(failure.description == "cannot connect to http://no-such-host.invalid:9000: its host name does not resolve; check the endpoint's spelling")
    }
}
