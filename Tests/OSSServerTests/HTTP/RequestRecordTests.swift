import Foundation
import Logging
import NIOConcurrencyHelpers
import OSSProtocol
import Testing

@testable import OSSServer

/// The record a server logs of each request, as a log collector reads it (`--log-format json`).
@Suite("Request records: one JSON line per request with what was asked and how it went, never a secret")
struct RequestRecordTests {
    /// The JSON lines a server logged, parsed.
    final class Lines: Sendable {
        private let lines = NIOLockedValueBox<[String]>([])

        func append(_ line: String) { lines.withLockedValue { $0.append(line) } }

        var raw: [String] { lines.withLockedValue { $0 } }

        func objects() throws -> [[String: Any]] {
            try raw.map { line in
                let object = try JSONSerialization.jsonObject(with: Data(line.utf8))
                return try #require(object as? [String: Any], "a JSON object per line: \(line)")
            }
        }

        /// The records of requests (those with an operation), waiting up to ten seconds for
        /// `count` of them: each is written once its answer has left.
        func records(count: Int) async throws -> [[String: Any]] {
            let deadline = ContinuousClock.now + .seconds(10)
            while try objects().filter({ $0["operation"] != nil }).count < count, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(20))
            }
            return try objects().filter { $0["operation"] != nil }
        }
    }

    @Test("a PUT and a GET: operation, bucket, key, status, bytes each way, remote address, request id and principal")
    func fields() async throws {
        let lines = Lines()
        try await LiveServer.run(logs: lines.append) { server in
            let put = try await server.put("dir/k", testBytes(123))
            let get = try await server.send(.get, key: "dir/k")
            #expect(get.bytes.count == 123)
            let records = try await lines.records(count: 2)
            try #require(records.count == 2)
            let (first, second) = (records[0], records[1])
            #expect(first["operation"] as? String == "PutObject")
            #expect(first["bucket"] as? String == "bkt")
            #expect(first["key"] as? String == "dir/k")
            #expect(first["bytes-in"] as? String == "123")
            #expect(first["bytes-out"] as? String == "0")
            #expect(first["remote"] as? String == "127.0.0.1")
            #expect(first["principal"] as? String == "\(server.storage.owner.id)/\(LiveServer.credentials.accessKeyID)")
            #expect(first["request-id"] as? String == put.header("x-oss-request-id"))
            #expect(first["level"] as? String == "info")
            #expect((first["message"] as? String)?.hasPrefix("PUT /bkt/dir/k 200 ") == true)
            #expect(second["operation"] as? String == "GetObject")
            #expect(second["bytes-out"] as? String == "123")
            #expect(second["request-id"] as? String == get.header("x-oss-request-id"))
        }
    }

    @Test("refusals name their error; presigned and signed requests leave no signature, query or secret in any line")
    func noSecrets() async throws {
        let lines = Lines()
        try await LiveServer.run(logs: lines.append) { server in
            try await server.put("k", [1, 2, 3])
            #expect(try await server.send(.get, key: "k", signing: .presignedV1).status == .ok)
            #expect(try await server.send(.get, key: "k", signing: .presignedV4).status == .ok)
            let refused = try await server.send(.get, key: "k", signing: .v1WithSecret("wrong"))
            #expect(refused.errorCode == "SignatureDoesNotMatch")
            let records = try await lines.records(count: 4)
            #expect(records.count == 4)
            #expect(records.last?["error"] as? String == "SignatureDoesNotMatch")
            #expect(records.last?["principal"] as? String == "-")
            for line in lines.raw {
                #expect(!line.contains("Signature="), "\(line)")
                #expect(!line.contains("x-oss-signature"), "\(line)")
                #expect(!line.contains("?"), "\(line)")
                #expect(!line.contains(LiveServer.credentials.secret), "\(line)")
            }
        }
    }

    @Test("JSON lines escape what would break them, keep nested metadata nested, and put the record's own fields first")
    func jsonLines() throws {
        let lines = Lines()
        var logger = Logger(label: "label \"quoted\"") { JSONLogHandler(label: $0, write: lines.append) }
        logger[metadataKey: "request-id"] = "r1"
        logger.warning(
            "line one\nline \"two\"\t\u{1}",
            metadata: ["nested": ["a": "1", "b": ["x", "y"]], "message": "not the message", "size": .stringConvertible(42)])
        logger.debug("below the level")
        try #require(lines.raw.count == 1)
        #expect(lines.raw[0].hasSuffix("}\n"))
        #expect(lines.raw[0].dropLast().contains("\n") == false)
        let object = try #require(try lines.objects().first)
        #expect(object["message"] as? String == "line one\nline \"two\"\t\u{1}")
        #expect(object["label"] as? String == "label \"quoted\"")
        #expect(object["level"] as? String == "warning")
        #expect(object["request-id"] as? String == "r1")
        #expect(object["size"] as? String == "42")
        let nested = try #require(object["nested"] as? [String: Any])
        #expect(nested["a"] as? String == "1")
        #expect(nested["b"] as? [String] == ["x", "y"])
        let time = try #require(object["time"] as? String)
        let parsed = try #require(ISO8601DateFormatter.withFractionalSeconds.date(from: time), "\(time)")
        #expect(abs(parsed.timeIntervalSinceNow) < 60)
    }
}

extension ISO8601DateFormatter {
    static var withFractionalSeconds: ISO8601DateFormatter {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter
    }
}
