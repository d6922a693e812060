import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import OSSProtocol
import Testing

@testable import OSSServer

@Suite("Admin listener: health checks on an address of their own")
struct AdminTests {
    /// The admin application of a server over `storage`, on a free loopback port.
    static func withAdmin(
        _ storage: ObjectStorage, token: String? = nil, metrics: ServerMetrics = ServerMetrics(), scrub: ScrubControl? = nil,
        _ body: @Sendable (any TestClientProtocol) async throws -> Void
    ) async throws {
        let server = OSSServer(
            configuration: OSSServerConfiguration(
                port: 0, dataDirectory: URL(fileURLWithPath: "/nonexistent"),
                credentials: OSSCredentials(accessKeyID: "k", secret: "s")),
            logger: Logger(label: "test"))
        try await server.adminApplication(OSSAdminListener(host: "127.0.0.1", port: 0, token: token), storage: storage, metrics: metrics, scrub: scrub)
            .test(.live) { client in try await body(client) }
    }

    @Test("live and ready answer 200 while the stores answer; ready says ok for each part")
    func healthy() async throws {
        try await withStorage { storage, _ in
            try await Self.withAdmin(storage) { client in
                let live = try await client.execute(uri: "/health/live", method: .get)
                #expect(live.status == .ok)
                let ready = try await client.execute(uri: "/health/ready", method: .get)
                #expect(ready.status == .ok)
                #expect(String(buffer: ready.body) == "metadata: ok\nblobs: ok\n")
            }
        }
    }

    @Test("ready answers 503 naming the blob store when its folder cannot take a write; live stays 200")
    func blobStoreNotReady() async throws {
        try await withStorage { storage, directory in
            // Writes start in tmp/: without it, none can.
            try FileManager.default.removeItem(atPath: directory + "/tmp")
            try await Self.withAdmin(storage) { client in
                let ready = try await client.execute(uri: "/health/ready", method: .get)
                #expect(ready.status == .serviceUnavailable)
                let lines = String(buffer: ready.body).split(separator: "\n")
                #expect(lines.first == "metadata: ok")
                #expect(lines.last?.hasPrefix("blobs: ") == true && lines.last != "blobs: ok")
                #expect(try await client.execute(uri: "/health/live", method: .get).status == .ok)
            }
        }
    }

    @Test("with a token, requests without it or with another are refused with 401; with it they pass")
    func token() async throws {
        try await withStorage { storage, _ in
            try await Self.withAdmin(storage, token: "s3cr3t-token") { client in
                let none = try await client.execute(uri: "/health/live", method: .get)
                #expect(none.status == .unauthorized)
                #expect(none.headers[.wwwAuthenticate] == "Bearer")
                let wrong = try await client.execute(uri: "/health/live", method: .get, headers: [.authorization: "Bearer s3cr3t-tokem"])
                #expect(wrong.status == .unauthorized)
                let short = try await client.execute(uri: "/health/live", method: .get, headers: [.authorization: "Bearer s3cr3t"])
                #expect(short.status == .unauthorized)
                let right = try await client.execute(
                    uri: "/health/ready", method: .get, headers: [.authorization: "Bearer s3cr3t-token"])
                #expect(right.status == .ok)
            }
        }
    }

    @Test("a probe that does not answer in time makes the part not ready, without holding the answer")
    func slowProbe() async {
        let started = ContinuousClock.now
        let problem = await AdminRouter.problem(within: .milliseconds(100)) { () async throws(StorageError) in
            // Ignores cancellation, as a stuck call would, for far longer than the bound below.
            let until = ContinuousClock.now + .seconds(180)
            while ContinuousClock.now < until { try? await Task.sleep(for: .milliseconds(100)) }
        }
        #expect(problem == "no answer within \(Duration.milliseconds(100))")
        // A liveness bound, not a speed claim (the tests run in parallel on two cores).
        #expect(ContinuousClock.now - started < .seconds(60))
    }
}

extension AdminTests {
    @Test("POST /scrub asks the scrubber for a pass (202; 409 while one runs); GET /scrub says where it is")
    func scrubRequests() async throws {
        try await withStorage { storage, _ in
            let control = ScrubControl()
            try await Self.withAdmin(storage, scrub: control) { client in
                let status = try await client.execute(uri: "/scrub", method: .get)
                #expect(String(buffer: status.body).hasPrefix("running: false\nblobs: 0\n"))
                #expect(try await client.execute(uri: "/scrub", method: .post).status == .accepted)
                #expect(control.takeRequest())
                #expect(!control.takeRequest())
                control.started()
                #expect(try await client.execute(uri: "/scrub", method: .post).status == .conflict)
                #expect(String(buffer: try await client.execute(uri: "/scrub", method: .get).body).hasPrefix("running: true\n"))
            }
        }
    }
}
