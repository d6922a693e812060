import CRC64
import Foundation
import NIOCore
import OSSClient
import Testing

@Suite("AppendObject against a real server")
struct AppendTests {
    static let bucket = TestServer.bucket

    @Test("An append chain returns the whole object's CRC after each append (§4.5)")
    func chain() async throws {
        try await TestServer.run { server in
            let first = Array("line1\n".utf8)
            let second = Array("line2\n".utf8)
            let one = try await server.client.appendObject(
                OSSAppendObjectRequest(bucket: Self.bucket, key: "log", position: 0, previousCRC64: nil, body: .bytes(first)))
            #expect(one.nextPosition == 6)
            #expect(one.crc64 == TestBytes.crc(first))
            #expect(one.crc64 == 17_856_904_023_843_314_350)
            #expect(one.crcVerification == .verified(TestBytes.crc(first)))
            let two = try await server.client.appendObject(
                OSSAppendObjectRequest(
                    bucket: Self.bucket, key: "log", position: one.nextPosition, previousCRC64: one.crc64,
                    body: .bytes(second)))
            #expect(two.nextPosition == 12)
            #expect(two.crc64 == TestBytes.crc(first + second))
            #expect(two.crc64 == 1_038_713_013_172_538_275)
            #expect(two.crcVerification == .verified(TestBytes.crc(first + second)))
            let get = try await server.client.getObject(bucket: Self.bucket, key: "log")
            #expect(get.body == first + second)
            #expect(get.metadata.objectType == .appendable)
            #expect(get.metadata.sealedTime == nil)

            let sealed = try #require(try await server.client.sealAppendObject(bucket: Self.bucket, key: "log", position: 12))
            #expect(try await server.client.headObject(bucket: Self.bucket, key: "log").sealedTime == sealed)
            let refused = await #expect(throws: OSSClientError.self) {
                try await server.client.appendObject(
                    OSSAppendObjectRequest(
                        bucket: Self.bucket, key: "log", position: 12, previousCRC64: two.crc64, body: .bytes([1])))
            }
            #expect(refused?.serviceError?.code == "AppendSealedObjectNotAllowed")
        }
    }

    @Test("The appendable helper keeps position and CRC, also across a file append")
    func helper() async throws {
        try await TestServer.run { server in
            let (file, fileBytes) = try server.makeFile("chunk.bin", size: 300_000, seed: 11)
            let head = TestBytes.random(count: 1000, seed: 12)
            var object = OSSAppendableObject(client: server.client, bucket: Self.bucket, key: "a")
            try await object.append(.bytes(head), options: OSSObjectWriteOptions(contentType: "text/x-log"))
            let result = try await object.append(.file(file))
            #expect(object.position == Int64(head.count + fileBytes.count))
            #expect(object.crc64 == TestBytes.crc(head + fileBytes))
            #expect(result.crcVerification == .verified(TestBytes.crc(head + fileBytes)))
            let get = try await server.client.getObject(bucket: Self.bucket, key: "a")
            #expect(get.body == head + fileBytes)
            #expect(get.metadata.contentType == "text/x-log")
        }
    }

    @Test("A wrong position fails with the server's next position and CRC, and the writer resumes from them")
    func wrongPosition() async throws {
        try await TestServer.run { server in
            let first = Array("line1\n".utf8)
            let second = Array("line2\n".utf8)
            var writer = OSSAppendableObject(client: server.client, bucket: Self.bucket, key: "log")
            try await writer.append(.bytes(first))
            var stale = OSSAppendableObject(client: server.client, bucket: Self.bucket, key: "log")
            let error = await #expect(throws: OSSClientError.self) {
                try await server.client.appendObject(
                    OSSAppendObjectRequest(bucket: Self.bucket, key: "log", position: 0, previousCRC64: nil, body: .bytes(second)))
            }
            guard let service = error?.serviceError else {
                Issue.record("expected PositionNotEqualToLength, got \(String(describing: error))")
                return
            }
            #expect(service.code == "PositionNotEqualToLength")
            #expect(service.status == 409)
            #expect(service.nextAppendPosition == Int64(first.count))
            #expect(service.nextAppendCRC64 == TestBytes.crc(first))
            #expect(stale.position == 0)
            let resumedFromError = stale.resume(after: service)
            #expect(resumedFromError)
            let resumed = try await stale.append(.bytes(second))
            #expect(resumed.crcVerification == .verified(TestBytes.crc(first + second)))
            #expect(try await server.client.getObject(bucket: Self.bucket, key: "log").body == first + second)
        }
    }

    @Test("A missing previous CRC after position 0 and a stream body are refused before sending")
    func invalidArguments() async throws {
        try await TestServer.run { server in
            let noCRC = await #expect(throws: OSSClientError.self) {
                try await server.client.appendObject(
                    OSSAppendObjectRequest(bucket: Self.bucket, key: "x", position: 5, previousCRC64: nil, body: .bytes([1])))
            }
            guard noCRC?.code == .invalidArgument else {
                Issue.record("expected invalidArgument, got \(String(describing: noCRC))")
                return
            }
            let stream = AsyncStream<ByteBuffer> { $0.finish() }
            let streamed = await #expect(throws: OSSClientError.self) {
                try await server.client.appendObject(
                    OSSAppendObjectRequest(bucket: Self.bucket, key: "x", position: 0, previousCRC64: nil, body: .stream(stream)))
            }
            guard streamed?.code == .invalidArgument else {
                Issue.record("expected invalidArgument, got \(String(describing: streamed))")
                return
            }
            let exists = try await server.client.objectExists(bucket: Self.bucket, key: "x")
            #expect(!exists)
        }
    }

    @Test("An append damaged on the way is refused by the server, never retried, and leaves the object intact")
    func tamperedAppend() async throws {
        try await TestServer.run { server in
            let first = Array("line1\n".utf8)
            let second = TestBytes.random(count: 5000, seed: 21)
            var writer = OSSAppendableObject(client: server.client, bucket: Self.bucket, key: "log")
            try await writer.append(.bytes(first))
            let (position, crc) = (writer.position, writer.crc64)
            try await TamperingProxy.run(
                upstreamPort: server.port,
                onRequest: { exchange in
                    if exchange.method == "POST", exchange.requestBody.count > 100 { exchange.requestBody[100] ^= 0x01 }
                }
            ) { proxy in
                try await server.withClient(port: proxy.port) { client in
                    let error = await #expect(throws: OSSClientError.self) {
                        try await client.appendObject(
                            OSSAppendObjectRequest(
                                bucket: Self.bucket, key: "log", position: position, previousCRC64: crc,
                                body: .bytes(second)))
                    }
                    guard let mismatch = error?.crcMismatch else {
                        Issue.record("expected a CRC mismatch, got \(String(describing: error))")
                        return
                    }
                    #expect(mismatch.clientCRC == TestBytes.crc(first + second))
                    var damaged = second
                    damaged[100] ^= 0x01
                    #expect(mismatch.serverCRC == TestBytes.crc(first + damaged))
                    #expect(proxy.exchanges.filter { $0.method == "POST" }.count == 1)
                }
            }
            let get = try await server.client.getObject(bucket: Self.bucket, key: "log")
            #expect(get.body == first)
        }
    }

    @Test("An append whose answered CRC differs from the expected one throws, even though the server stored it")
    func tamperedAnswer() async throws {
        try await TestServer.run { server in
            let bytes = Array("line1\n".utf8)
            try await TamperingProxy.run(
                upstreamPort: server.port,
                onResponse: { exchange in
                    if exchange.method == "POST", let crc = exchange.responseHeader("x-oss-hash-crc64ecma").flatMap(UInt64.init) {
                        exchange.setResponseHeader("x-oss-hash-crc64ecma", String(crc ^ 1))
                    }
                }
            ) { proxy in
                try await server.withClient(port: proxy.port) { client in
                    let error = await #expect(throws: OSSClientError.self) {
                        try await client.appendObject(
                            OSSAppendObjectRequest(bucket: Self.bucket, key: "log", position: 0, previousCRC64: nil, body: .bytes(bytes)))
                    }
                    guard let mismatch = error?.crcMismatch else {
                        Issue.record("expected a CRC mismatch, got \(String(describing: error))")
                        return
                    }
                    #expect(mismatch.clientCRC == TestBytes.crc(bytes))
                    #expect(mismatch.serverCRC == TestBytes.crc(bytes) ^ 1)
                }
            }
        }
    }

    @Test("An append whose answer fails with a 5xx is not retried")
    func notRetried() async throws {
        try await TestServer.run { server in
            try await TamperingProxy.run(
                upstreamPort: server.port,
                onResponse: { exchange in
                    if exchange.method == "POST" { exchange.status = 503 }
                }
            ) { proxy in
                try await server.withClient(port: proxy.port) { client in
                    let error = await #expect(throws: OSSClientError.self) {
                        try await client.appendObject(
                            OSSAppendObjectRequest(bucket: Self.bucket, key: "n", position: 0, previousCRC64: nil, body: .bytes([1, 2])))
                    }
                    #expect(error?.serviceCode != nil)
                    #expect(proxy.exchanges.filter { $0.method == "POST" }.count == 1)
                }
            }
        }
    }
}
