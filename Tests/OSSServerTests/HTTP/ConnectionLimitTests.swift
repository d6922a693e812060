import Foundation
import Logging
import NIOConcurrencyHelpers
import OSSProtocol
import Testing

@testable import OSSServer

/// Connections are a resource an attacker can hold: refused uploads must not keep theirs, and the
/// number served at once is capped.
@Suite("Connections: refused bodies, the connection cap")
struct ConnectionLimitTests {
    @Test("a refused upload whose body is still coming is answered with Connection: close, then its connection ends")
    func refusedBodyClosesTheConnection() async throws {
        try await LiveServer.run { server in
            let port = server.port
            let (response, ended) = try await onThread { () -> (RawResponse?, Bool) in
                let connection = try RawConnection(port: port, timeout: 10)
                // Unsigned: refused (403) before a byte of the declared gigabyte is read.
                connection.send("PUT /bkt/huge HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1000000000\r\n\r\n")
                connection.send([UInt8](repeating: 0x61, count: 64 << 10))
                let response = connection.readResponse()
                return (response, connection.readsEndOfStream())
            }
            #expect(response?.status == 403)
            #expect(response?.header("connection")?.lowercased() == "close")
            #expect(ended)
            #expect(try await server.stillServes())
        }
    }

    @Test("a refused request whose body had fully arrived keeps its connection for the next request")
    func refusedCompleteRequestKeepsTheConnection() async throws {
        try await LiveServer.run { server in
            let port = server.port
            let statuses = try await onThread { () -> [Int?] in
                let connection = try RawConnection(port: port, timeout: 10)
                let request = "PUT /bkt/small HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 5\r\n\r\nhello"
                connection.send(request)
                let first = connection.readResponse()
                connection.send(request)
                return [first?.status, connection.readResponse()?.status]
            }
            #expect(statuses == [403, 403])
        }
    }

    @Test("beyond --max-connections a connection waits until one closes; reaching the cap is logged")
    func connectionCap() async throws {
        let messages = NIOLockedValueBox<[String]>([])
        let logger = Logger(label: "cap") { _ in CollectingLogHandler(messages: messages) }
        let answered = try await Self.withRunningServer(maxConnections: 2, logger: logger) { port in
            try await onThread { () -> (waitingWhileFull: Bool, servedAfterClose: Bool) in
                var holders = [try RawConnection(port: port), try RawConnection(port: port)]
                // Each holder is answered once, so both are surely accepted before the third comes.
                for holder in holders {
                    holder.send("GET /bkt/none HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                    _ = holder.readResponse()
                }
                let waiting = try RawConnection(port: port, timeout: 2)
                waiting.send("GET /bkt/none HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                let whileFull = waiting.readResponse() == nil
                holders.removeFirst()  // closes one
                waiting.setTimeout(20)
                return (whileFull, waiting.readResponse()?.status == 403)  // unsigned
            }
        }
        #expect(answered.waitingWhileFull)
        #expect(answered.servedAfterClose)
        #expect(messages.withLockedValue { $0 }.contains {
            $0.contains("2 connections are open, the most allowed") && $0.contains("--max-connections")
        })
    }

    /// A request whose headers, or whose body, stop arriving is cut after the idle timeout, so
    /// stalled clients cannot hold connections (and upload files) forever.
    @Test("a request that makes no progress for --idle-timeout is cut, headers or body")
    func idleTimeout() async throws {
        var logger = Logger(label: "idle")
        logger.logLevel = .critical
        // Signed, so that the handler is reading the body when it stops coming.
        var put = OSSRequest(method: "PUT", bucket: "bkt", key: "k", headers: [("Content-Length", "100")])
        OSSSignatureV1.sign(&put, credentials: LiveServer.credentials, date: Date())
        let putHead = "PUT /bkt/k HTTP/1.1\r\nHost: 127.0.0.1\r\n" + put.headers.map { "\($0.name): \($0.value)\r\n" }.joined() + "\r\n"
        let cut = try await Self.withRunningServer(idleTimeout: .seconds(1), logger: logger) { port in
            try await onThread { () -> (headers: Bool, body: Bool) in
                let headers = try RawConnection(port: port, timeout: 15)
                headers.send("GET /bkt/k HTTP/1.1\r\nHost: 127.0.0.1\r\nx-oss-meta-a: ")
                let body = try RawConnection(port: port, timeout: 15)
                body.send(putHead + "0123456789")
                return (headers.isClosedByServer(), body.isClosedByServer())
            }
        }
        #expect(cut.headers)
        #expect(cut.body)
    }

    /// Runs `body` with the port of a server started through ``OSSServer/run(onListening:)``, as
    /// `oss serve` starts it (HummingbirdTesting's live server rebuilds the configuration and drops
    /// the connection limit), over a fresh data folder with bucket `bkt`; stopped afterwards.
    static func withRunningServer<T>(
        maxConnections: Int? = nil, idleTimeout: Duration = .seconds(300), logger: Logger,
        _ body: (Int) async throws -> T
    ) async throws -> T {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("swift-oss-conn-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let server = OSSServer(
            configuration: OSSServerConfiguration(
                port: 0, dataDirectory: directory, buckets: ["bkt"], credentials: LiveServer.credentials,
                idleTimeout: idleTimeout, maxConnections: maxConnections),
            logger: logger)
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let task = Task { try await server.run { _, port in continuation.yield(port) } }
        defer { task.cancel() }
        var iterator = ports.makeAsyncIterator()
        let port = try #require(await iterator.next())
        return try await body(port)
    }

    @Test("the default cap leaves room under the open-file limit")
    func defaultCap() {
        #expect(FileDescriptorLimit.defaultConnectionCap(forLimit: 1024) == 448)
        #expect(FileDescriptorLimit.defaultConnectionCap(forLimit: 1 << 20) == 4096)
        #expect(FileDescriptorLimit.defaultConnectionCap(forLimit: 100) == 16)
    }
}

/// Keeps every message logged, for tests that check what an operator would read.
struct CollectingLogHandler: LogHandler {
    let messages: NIOLockedValueBox<[String]>
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .info

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        messages.withLockedValue { $0.append(event.message.description) }
    }
}
