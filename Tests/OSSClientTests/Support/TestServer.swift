import AsyncHTTPClient
import CRC64
import Foundation
import Logging
import OSSClient
import OSSServer
import Testing

/// A real `oss serve` on a free loopback port over a fresh data folder, with bucket `bkt`, and a
/// scratch folder for local files; everything is stopped and removed when the test body ends.
struct TestServer: Sendable {
    static let credentials = OSSCredentials(accessKeyID: "LTAIclienttest", secret: "client-test-secret")
    static let bucket = "bkt"

    let port: Int
    let scratch: URL
    let client: OSSClient
    /// `https` when the server was started with TLS files.
    let scheme: String

    var endpoint: String { "\(scheme)://127.0.0.1:\(port)" }

    /// Runs `body` against a fresh server and client (V4, CRC on, fast retries); with `tls`, the
    /// server speaks HTTPS and the client trusts `trustedRoots`.
    static func run(
        temporaryCredentials: [OSSTemporaryCredentials] = [], cnames: [String: String] = [:],
        tls: OSSTLSFiles? = nil, trustedRoots: OSSTrustedRoots = .system,
        _ body: @Sendable (TestServer) async throws -> Void
    ) async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("swift-oss-client-\(UUID().uuidString)")
        let scratch = root.appendingPathComponent("scratch")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        var logger = Logger(label: "test-server")
        logger.logLevel = .critical
        var configuration = OSSServerConfiguration(
            host: "127.0.0.1", port: 0, dataDirectory: root.appendingPathComponent("data"), buckets: [bucket],
            credentials: credentials, temporaryCredentials: temporaryCredentials, cnames: cnames)
        configuration.tls = tls
        let server = OSSServer(configuration: configuration, logger: logger)
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let task = Task {
            defer { continuation.finish() }
            try await server.run { _, port in continuation.yield(port) }
        }
        defer { task.cancel() }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else {
            _ = try await task.value
            Issue.record("the server stopped before listening")
            return
        }
        let scheme = tls == nil ? "http" : "https"
        let environment = TestServer(
            port: port, scratch: scratch,
            client: Self.client(port: port, endpoint: "\(scheme)://127.0.0.1:\(port)", trustedRoots: trustedRoots),
            scheme: scheme)
        do {
            try await body(environment)
        } catch {
            try? await environment.client.shutdown()
            task.cancel()
            _ = await task.result
            throw error
        }
        try await environment.client.shutdown()
        task.cancel()
        _ = await task.result
    }

    /// A client for `port` (the server's, or a proxy's in front of it).
    static func client(
        port: Int, signatureVersion: OSSSignatureVersion = .v4, verifiesCRC64: Bool = true,
        credentials: OSSCredentials = TestServer.credentials,
        retry: OSSRetryPolicy = OSSRetryPolicy(maxAttempts: 3, baseDelay: .milliseconds(10)),
        timeouts: OSSTimeouts = OSSTimeouts(), httpClient: HTTPClient? = nil, endpoint: String? = nil,
        addressing: OSSEndpoint.Addressing = .automatic, trustedRoots: OSSTrustedRoots = .system
    ) -> OSSClient {
        var configuration = OSSClientConfiguration(
            endpoint: try! OSSEndpoint(endpoint ?? "http://127.0.0.1:\(port)", addressing: addressing),
            credentials: OSSStaticCredentialsProvider(credentials),
            signatureVersion: signatureVersion, timeouts: timeouts, retry: retry, verifiesCRC64: verifiesCRC64)
        configuration.trustedRoots = trustedRoots
        return OSSClient(configuration: configuration, httpClient: httpClient)
    }

    /// Runs `body` with another client for this server, shut down afterwards.
    func withClient<T>(
        signatureVersion: OSSSignatureVersion = .v4, verifiesCRC64: Bool = true, port: Int? = nil,
        retry: OSSRetryPolicy = OSSRetryPolicy(maxAttempts: 3, baseDelay: .milliseconds(10)),
        timeouts: OSSTimeouts = OSSTimeouts(),
        _ body: (OSSClient) async throws -> T
    ) async throws -> T {
        let other = Self.client(
            port: port ?? self.port, signatureVersion: signatureVersion, verifiesCRC64: verifiesCRC64, retry: retry,
            timeouts: timeouts)
        do {
            let result = try await body(other)
            try await other.shutdown()
            return result
        } catch {
            try? await other.shutdown()
            throw error
        }
    }

    /// A file of `size` deterministic pseudo-random bytes in the scratch folder.
    func makeFile(_ name: String, size: Int, seed: UInt64 = 1) throws -> (URL, [UInt8]) {
        let bytes = TestBytes.random(count: size, seed: seed)
        let url = scratch.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return (url, bytes)
    }

    /// The scratch folder's entries, to prove that no temporary file was left behind.
    func scratchContents() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: scratch.path).sorted()
    }
}

enum TestBytes {
    /// Deterministic bytes from a 64-bit LCG, so a failing test can be rerun with the same data.
    static func random(count: Int, seed: UInt64) -> [UInt8] {
        var state = seed &* 0x9E37_79B9_7F4A_7C15 | 1
        var bytes = [UInt8](repeating: 0, count: count)
        for index in 0..<count {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            bytes[index] = UInt8(truncatingIfNeeded: state >> 33)
        }
        return bytes
    }

    /// The reference CRC, computed here independently of the code under test (the CRC64 test
    /// suite checks `CRC64.xz` against published vectors).
    static func crc(_ bytes: [UInt8]) -> UInt64 {
        CRC64.xz.checksum(bytes)
    }
}

extension OSSClientError {
    /// Whether the SDK refused the call itself, before sending anything.
    var isInvalidArgument: Bool {
        code == .invalidArgument
    }
}
