import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import OSSProtocol
import Testing

@testable import OSSServer

/// What the access log promises besides its periodic writes: bounded memory, and the lines
/// still waiting written when the server shuts down.
@Suite("Access log")
struct AccessLogTests {
    @Test("a bucket's waiting lines stay under the bound; the ones beyond are dropped and counted")
    func pendingLinesAreBounded() {
        let log = AccessLog()
        let line = String(repeating: "x", count: 1023)
        let fitting = AccessLog.maximumPendingBytes / 1024
        for _ in 0..<(fitting + 10) { log.record(bucket: "b", target: "t", prefix: "p/", line: line) }
        let pending = try! #require(log.drain()["b"])
        #expect(pending.lines.count == fitting && pending.dropped == 10)
        #expect(pending.bytes <= AccessLog.maximumPendingBytes)
        #expect(log.drain().isEmpty, "drained once")
    }

    @Test("lines still waiting when the server shuts down are written into the target bucket")
    func shutdownWritesWhatIsWaiting() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("swift-oss-log-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        var logger = Logger(label: "test")
        logger.logLevel = .warning
        // An interval far longer than the test: only the shutdown can write the lines.
        let server = OSSServer(
            configuration: OSSServerConfiguration(
                port: 0, dataDirectory: directory, buckets: ["bkt", "logs"], credentials: LiveServer.credentials,
                accessLogInterval: .seconds(3600)),
            logger: logger)
        let storage = try await server.openStorage()
        try await server.application(storage: storage).test(.live) { client in
            var request = OSSRequest(method: "PUT", bucket: "bkt", query: [OSSQueryItem(name: "logging")], headers: [])
            let body = "<BucketLoggingStatus><LoggingEnabled><TargetBucket>logs</TargetBucket><TargetPrefix>a/</TargetPrefix></LoggingEnabled></BucketLoggingStatus>"
            request.setHeader("Content-Length", String(body.utf8.count))
            OSSSignatureV1.sign(&request, credentials: LiveServer.credentials, date: Date())
            var fields = HTTPFields()
            for header in request.headers { fields.append(HTTPField(name: HTTPField.Name(header.name)!, value: header.value)) }
            let put = try await client.execute(uri: "/bkt/?logging", method: .put, headers: fields, body: ByteBuffer(string: body))
            #expect(put.status == .ok)
            let anonymous = try await client.execute(uri: "/bkt/nothing", method: .get)
            #expect(anonymous.status == .forbidden)
        }
        let listing = try await storage.listObjects(bucket: "logs", query: ObjectListQuery(prefix: "a/"))
        let key = try #require(listing.objects.first?.key)
        let text = String(buffer: ByteBuffer(bytes: try await collect(storage.openObject(bucket: "logs", key: key).body())))
        #expect(text.contains("\"GET /bkt/nothing HTTP/1.1\" 403 "))
    }
}
