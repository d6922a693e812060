import Foundation
import OSSClient
import Testing

/// Damage on the wire, injected by a proxy between the SDK and the real server: the SDK must
/// throw, and leave nothing behind.
@Suite("Corruption on the wire")
struct FaultTests {
    static let bucket = TestServer.bucket

    static func flipByte(_ body: inout [UInt8], at index: Int) {
        guard body.indices.contains(index) else { return }
        body[index] ^= 0x01
    }

    @Test("A flipped byte in a download throws and leaves no file, temporary or final")
    func corruptedDownload() async throws {
        try await TestServer.run { server in
            let bytes = TestBytes.random(count: 500_000, seed: 31)
            _ = try await server.client.putObject(OSSPutObjectRequest(bucket: Self.bucket, key: "obj", body: .bytes(bytes)))
            try await TamperingProxy.run(
                upstreamPort: server.port,
                onResponse: { exchange in
                    if exchange.method == "GET" { Self.flipByte(&exchange.responseBody, at: 250_000) }
                }
            ) { proxy in
                try await server.withClient(port: proxy.port) { client in
                    let destination = server.scratch.appendingPathComponent("obj.out")
                    let error = await #expect(throws: OSSClientError.self) {
                        try await client.getObject(OSSGetObjectRequest(bucket: Self.bucket, key: "obj"), to: destination)
                    }
                    guard let mismatch = error?.crcMismatch else {
                        Issue.record("expected a CRC mismatch, got \(String(describing: error))")
                        return
                    }
                    #expect(mismatch.serverCRC == TestBytes.crc(bytes))
                    var damaged = bytes
                    Self.flipByte(&damaged, at: 250_000)
                    #expect(mismatch.clientCRC == TestBytes.crc(damaged))
                    let leftovers = try server.scratchContents()
                    #expect(leftovers.isEmpty)
                    let inMemory = await #expect(throws: OSSClientError.self) {
                        try await client.getObject(bucket: Self.bucket, key: "obj")
                    }
                    #expect(inMemory?.isCRCMismatch == true)
                    let streamed = await #expect(throws: OSSClientError.self) {
                        let stream = try await client.getObjectStream(OSSGetObjectRequest(bucket: Self.bucket, key: "obj"))
                        for try await _ in stream.body {}
                    }
                    #expect(streamed?.isCRCMismatch == true)
                }
            }
        }
    }

    @Test("A wrong CRC header on a download throws")
    func wrongHeaderOnDownload() async throws {
        try await TestServer.run { server in
            _ = try await server.client.putObject(OSSPutObjectRequest(bucket: Self.bucket, key: "obj", body: .bytes([1, 2, 3])))
            try await TamperingProxy.run(
                upstreamPort: server.port,
                onResponse: { exchange in
                    if exchange.method == "GET", let crc = exchange.responseHeader("x-oss-hash-crc64ecma").flatMap(UInt64.init) {
                        exchange.setResponseHeader("x-oss-hash-crc64ecma", String(crc &+ 1))
                    }
                }
            ) { proxy in
                try await server.withClient(port: proxy.port) { client in
                    let error = await #expect(throws: OSSClientError.self) {
                        try await client.getObject(bucket: Self.bucket, key: "obj")
                    }
                    #expect(error?.isCRCMismatch == true)
                }
            }
        }
    }

    @Test("A missing CRC header is reported as unverified, not as success")
    func missingHeader() async throws {
        try await TestServer.run { server in
            try await TamperingProxy.run(
                upstreamPort: server.port,
                onResponse: { exchange in exchange.setResponseHeader("x-oss-hash-crc64ecma", nil) }
            ) { proxy in
                try await server.withClient(port: proxy.port) { client in
                    let put = try await client.putObject(OSSPutObjectRequest(bucket: Self.bucket, key: "k", body: .bytes([5])))
                    #expect(put.crcVerification == .unverified(.serverCRCAbsent))
                    let get = try await client.getObject(bucket: Self.bucket, key: "k")
                    #expect(get.crcVerification == .unverified(.serverCRCAbsent))
                }
            }
        }
    }

    @Test("A flipped byte in an upload is refused by the server: nothing is stored", arguments: ["bytes", "file"])
    func corruptedUpload(source: String) async throws {
        try await TestServer.run { server in
            let (file, bytes) = try server.makeFile("up.bin", size: 200_000, seed: 41)
            try await TamperingProxy.run(
                upstreamPort: server.port,
                onRequest: { exchange in
                    if exchange.method == "PUT" { Self.flipByte(&exchange.requestBody, at: 1234) }
                }
            ) { proxy in
                try await server.withClient(port: proxy.port) { client in
                    let body: OSSUploadBody = source == "file" ? .file(file) : .bytes(bytes)
                    let error = await #expect(throws: OSSClientError.self) {
                        try await client.putObject(OSSPutObjectRequest(bucket: Self.bucket, key: "up", body: body))
                    }
                    #expect(error?.isCRCMismatch == true)
                }
            }
            #expect(try await !server.client.objectExists(bucket: Self.bucket, key: "up"))
        }
    }

    @Test("A flipped byte in an uploaded part is refused; the part is not stored")
    func corruptedPart() async throws {
        try await TestServer.run { server in
            let upload = try await server.client.initiateMultipartUpload(bucket: Self.bucket, key: "mp")
            try await TamperingProxy.run(
                upstreamPort: server.port,
                onRequest: { exchange in
                    if exchange.isUploadPart { Self.flipByte(&exchange.requestBody, at: 0) }
                }
            ) { proxy in
                try await server.withClient(port: proxy.port) { client in
                    let error = await #expect(throws: OSSClientError.self) {
                        try await client.uploadPart(
                            OSSUploadPartRequest(
                                bucket: Self.bucket, key: "mp", uploadID: upload.uploadID, partNumber: 1,
                                body: .bytes(TestBytes.random(count: 1000, seed: 2))))
                    }
                    #expect(error?.isCRCMismatch == true)
                }
            }
            let parts = try await server.client.listParts(
                OSSListPartsRequest(bucket: Self.bucket, key: "mp", uploadID: upload.uploadID))
            #expect(parts.parts.isEmpty)
        }
    }

    @Test("A wrong CRC header on an upload response throws")
    func wrongHeaderOnUpload() async throws {
        try await TestServer.run { server in
            try await TamperingProxy.run(
                upstreamPort: server.port,
                onResponse: { exchange in
                    if exchange.method == "PUT" { exchange.setResponseHeader("x-oss-hash-crc64ecma", "12345") }
                }
            ) { proxy in
                try await server.withClient(port: proxy.port) { client in
                    let error = await #expect(throws: OSSClientError.self) {
                        try await client.putObject(OSSPutObjectRequest(bucket: Self.bucket, key: "k", body: .bytes([1, 2])))
                    }
                    guard let mismatch = error?.crcMismatch else {
                        Issue.record("expected a CRC mismatch, got \(String(describing: error))")
                        return
                    }
                    #expect(mismatch.serverCRC == 12345)
                    #expect(mismatch.clientCRC == TestBytes.crc([1, 2]))
                }
            }
        }
    }

    @Test("Server errors are retried; client errors are not")
    func retries() async throws {
        try await TestServer.run { server in
            let failures = Counter()
            try await TamperingProxy.run(
                upstreamPort: server.port,
                onResponse: { exchange in
                    // The first two GETs of "flaky" fail with 503; "missing" is a plain 404.
                    if exchange.method == "GET", exchange.path.contains("flaky"), await failures.increment() <= 2 {
                        exchange.status = 503
                        exchange.responseBody = Array("<Error><Code>ServiceUnavailable</Code><Message>busy</Message></Error>".utf8)
                    }
                }
            ) { proxy in
                _ = try await server.client.putObject(OSSPutObjectRequest(bucket: Self.bucket, key: "flaky", body: .bytes([7])))
                try await server.withClient(port: proxy.port) { client in
                    let body = try await client.getObject(bucket: Self.bucket, key: "flaky").body
                    #expect(body == [7])
                    _ = try? await client.getObject(bucket: Self.bucket, key: "missing")
                }
                let gets = proxy.exchanges.filter { $0.method == "GET" }.map(\.path)
                #expect(gets.filter { $0.contains("flaky") }.count == 3)
                #expect(gets.filter { $0.contains("missing") }.count == 1)
                try await server.withClient(port: proxy.port, retry: .none) { client in
                    await failures.reset()
                    let error = await #expect(throws: OSSClientError.self) {
                        try await client.getObject(bucket: Self.bucket, key: "flaky")
                    }
                    #expect(error?.serviceCode == "ServiceUnavailable")
                }
            }
        }
    }

    @Test("A silent server hits the read timeout and is reported as a transport failure, retried first")
    func readTimeout() async throws {
        try await TestServer.run { server in
            let gate = Gate()
            try await TamperingProxy.run(
                upstreamPort: server.port,
                onRequest: { exchange in
                    if exchange.method == "GET" {
                        await gate.wait()
                        exchange.neutralise()
                    }
                }
            ) { proxy in
                let timeouts = OSSTimeouts(connect: .seconds(5), read: .milliseconds(200))
                try await server.withClient(
                    port: proxy.port, retry: OSSRetryPolicy(maxAttempts: 2, baseDelay: .milliseconds(1)), timeouts: timeouts
                ) { client in
                    let error = await #expect(throws: OSSClientError.self) {
                        try await client.getObject(bucket: Self.bucket, key: "k")
                    }
                    guard let failure = error?.transportFailure else {
                        Issue.record("expected a transport failure, got \(String(describing: error))")
                        return
                    }
                    #expect(failure.attempts == 2)
                }
                await gate.release()
            }
        }
    }

    @Test("A cancelled download to a file leaves neither the file nor a temporary")
    func cancelledDownload() async throws {
        try await TestServer.run { server in
            _ = try await server.client.putObject(
                OSSPutObjectRequest(bucket: Self.bucket, key: "obj", body: .bytes(TestBytes.random(count: 100_000, seed: 3))))
            let gate = Gate()
            try await TamperingProxy.run(
                upstreamPort: server.port,
                onResponse: { exchange in
                    // Half the body goes out, then the proxy waits: the client holds a partial file.
                    if exchange.method == "GET" { exchange.stall = (50_000, gate) }
                }
            ) { proxy in
                try await server.withClient(port: proxy.port) { client in
                    let destination = server.scratch.appendingPathComponent("obj.out")
                    let task = Task {
                        try await client.getObject(OSSGetObjectRequest(bucket: Self.bucket, key: "obj"), to: destination)
                    }
                    #expect(await gate.waitUntilHolding(1))
                    #expect(await Self.eventually { (try? server.scratchContents().count) == 1 })
                    task.cancel()
                    let outcome = await task.result
                    await gate.release()
                    #expect(throws: CancellationError.self) { try outcome.get() }
                    let leftovers = try server.scratchContents()
                    #expect(leftovers.isEmpty)
                }
            }
        }
    }

    /// Polls a condition for up to 10 s; for states that another task reaches asynchronously.
    static func eventually(_ condition: () -> Bool) async -> Bool {
        for _ in 0..<1000 {
            if condition() { return true }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return false
    }
}
