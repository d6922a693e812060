import AsyncHTTPClient
import Foundation
import NIOCore
import OSSClient
import Testing

@Suite("PostObject: form uploads and presigned forms")
struct PostObjectTests {
    static let bucket = TestServer.bucket

    static func stream(_ buffers: [ByteBuffer]) -> AsyncStream<ByteBuffer> {
        AsyncStream { continuation in
            for buffer in buffers { continuation.yield(buffer) }
            continuation.finish()
        }
    }

    @Test("postObject stores bytes, a file and a stream, CRC-verified, with their attributes", arguments: [OSSSignatureVersion.v4, .v1])
    func postEveryBody(version: OSSSignatureVersion) async throws {
        try await TestServer.run { server in
            let (file, fileBytes) = try server.makeFile("form.bin", size: 3_000_123, seed: 7)
            let small = TestBytes.random(count: 10_000, seed: 8)
            let streamed = TestBytes.random(count: 2_500_000, seed: 9)
            let chunks = stride(from: 0, to: streamed.count, by: 300_000).map {
                ByteBuffer(bytes: streamed[$0..<min($0 + 300_000, streamed.count)])
            }
            let cases: [(key: String, body: OSSUploadBody, bytes: [UInt8])] = [
                ("form/bytes", .bytes(small), small),
                ("form/file", .file(file), fileBytes),
                ("form/stream", .stream(Self.stream(chunks), length: Int64(streamed.count)), streamed),
                ("form/stream-unknown-length", .stream(Self.stream(chunks)), streamed),
            ]
            try await server.withClient(signatureVersion: version) { client in
                for item in cases {
                    let options = OSSObjectWriteOptions(
                        contentType: "application/x-test", metadata: ["origin": "form"], acl: .private)
                    let result = try await client.postObject(
                        OSSPostObjectRequest(bucket: Self.bucket, key: item.key, body: item.body, options: options))
                    #expect(result.crcVerification == .verified(TestBytes.crc(item.bytes)), "\(item.key)")
                    #expect(result.size == Int64(item.bytes.count))
                    let read = try await client.getObject(bucket: Self.bucket, key: item.key)
                    #expect(read.body == item.bytes, "\(item.key)")
                    #expect(read.metadata.contentType == "application/x-test")
                    #expect(read.metadata.metadata["origin"] == "form")
                    #expect(read.metadata.crc64 == TestBytes.crc(item.bytes))
                }
            }
        }
    }

    @Test("A flipped file byte in a posted form is refused by the server: nothing is stored", arguments: ["bytes", "file"])
    func corruptedForm(source: String) async throws {
        try await TestServer.run { server in
            let (file, bytes) = try server.makeFile("form.bin", size: 200_000, seed: 11)
            try await TamperingProxy.run(
                upstreamPort: server.port,
                onRequest: { exchange in
                    // 1000 bytes before the end lies inside the file part, after the fields.
                    if exchange.method == "POST" { exchange.requestBody[exchange.requestBody.count - 1000] ^= 0x20 }
                }
            ) { proxy in
                try await server.withClient(port: proxy.port) { client in
                    let body: OSSUploadBody = source == "file" ? .file(file) : .bytes(bytes)
                    let error = await #expect(throws: OSSClientError.self) {
                        try await client.postObject(OSSPostObjectRequest(bucket: Self.bucket, key: "damaged", body: body))
                    }
                    #expect(error?.isCRCMismatch == true, "\(String(describing: error))")
                }
            }
            #expect(try await !server.client.objectExists(bucket: Self.bucket, key: "damaged"))
        }
    }

    @Test("A streamed form is checked against the server's CRC after the fact")
    func corruptedStream() async throws {
        try await TestServer.run { server in
            let bytes = TestBytes.random(count: 100_000, seed: 12)
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
                        try await client.postObject(
                            OSSPostObjectRequest(bucket: Self.bucket, key: "s", body: .stream(Self.stream([ByteBuffer(bytes: bytes)]))))
                    }
                    #expect(error?.isCRCMismatch == true)
                }
            }
        }
    }

    @Test("A presigned form works for a plain HTTP client within its policy, and nowhere else", arguments: [OSSSignatureVersion.v4, .v1])
    func presignedForm(version: OSSSignatureVersion) async throws {
        try await TestServer.run { server in
            let form = try await server.client.presignPostForm(
                OSSPostFormRequest(
                    bucket: Self.bucket, key: .prefix("uploads/"), expiresIn: .seconds(600), sizeRange: 1...100_000,
                    fields: ["success_action_status": "201", "x-oss-meta-source": "browser"],
                    conditions: [.startsWith(field: "Content-Type", prefix: "image/")], signatureVersion: version))
            #expect(form.value(of: "key") == "uploads/${filename}")
            #expect(form.url == "http://127.0.0.1:\(server.port)/\(Self.bucket)/")
            let http = HTTPClient(eventLoopGroupProvider: .singleton)
            defer { _ = http.shutdown() }
            let picture = TestBytes.random(count: 50_000, seed: 13)

            let accepted = try await BrowserForm.post(
                http, form, file: picture, fileName: "cat.png", extra: [("Content-Type", "image/png")])
            #expect(accepted.status == 201)
            #expect(accepted.crc64 == TestBytes.crc(picture))
            #expect(String(decoding: accepted.body, as: UTF8.self).contains("<Key>uploads/cat.png</Key>"))
            let stored = try await server.client.getObject(bucket: Self.bucket, key: "uploads/cat.png")
            #expect(stored.body == picture)
            #expect(stored.metadata.metadata["source"] == "browser")

            // Too large, outside the prefix, the wrong content type, a changed fixed field.
            let tooLarge = TestBytes.random(count: 100_001, seed: 14)
            #expect(try await BrowserForm.post(http, form, file: tooLarge, fileName: "big.png", extra: [("Content-Type", "image/png")]).status == 403)
            var moved = form
            moved.fields[0].value = "elsewhere/cat.png"
            #expect(try await BrowserForm.post(http, moved, file: picture, fileName: "x", extra: [("Content-Type", "image/png")]).status == 403)
            #expect(try await BrowserForm.post(http, form, file: picture, fileName: "x.txt", extra: [("Content-Type", "text/plain")]).status == 403)
            var retagged = form
            retagged.fields = retagged.fields.map { $0.name == "x-oss-meta-source" ? .init(name: $0.name, value: "forged") : $0 }
            #expect(try await BrowserForm.post(http, retagged, file: picture, fileName: "y.png", extra: [("Content-Type", "image/png")]).status == 403)
            #expect(try await !server.client.objectExists(bucket: Self.bucket, key: "elsewhere/cat.png"))
            #expect(try await !server.client.objectExists(bucket: Self.bucket, key: "uploads/big.png"))
        }
    }

    @Test("Fields the form writes itself, bad expiries and ${filename} keys are refused before anything is sent")
    func refusals() async throws {
        try await TestServer.run { server in
            for name in ["key", "Policy", "OSSAccessKeyId", "x-oss-signature", "file"] {
                let error = await #expect(throws: OSSClientError.self, "\(name)") {
                    try await server.client.presignPostForm(
                        OSSPostFormRequest(bucket: Self.bucket, key: .exact("k"), fields: [name: "v"]))
                }
                #expect(error?.isInvalidArgument == true, "\(name): \(String(describing: error))")
            }
            let expiry = await #expect(throws: OSSClientError.self) {
                try await server.client.presignPostForm(
                    OSSPostFormRequest(bucket: Self.bucket, key: .exact("k"), expiresIn: .seconds(604_801)))
            }
            #expect(expiry?.isInvalidArgument == true, "\(String(describing: expiry))")
            let placeholder = await #expect(throws: OSSClientError.self) {
                try await server.client.postObject(OSSPostObjectRequest(bucket: Self.bucket, key: "a/${filename}", body: .bytes([1])))
            }
            #expect(placeholder?.isInvalidArgument == true, "\(String(describing: placeholder))")
        }
    }
}

/// What a browser sends for a form: written here independently of the SDK's encoder, so that a
/// presigned form is proven usable by any client.
enum BrowserForm {
    struct Reply {
        var status: Int
        var crc64: UInt64?
        var body: [UInt8]
    }

    static func post(
        _ http: HTTPClient, _ form: OSSPostForm, file: [UInt8], fileName: String, extra: [(String, String)]
    ) async throws -> Reply {
        let boundary = "----browser-boundary-7MA4YWxkTrZu0gW"
        var body = ""
        for (name, value) in form.fields.map({ ($0.name, $0.value) }) + extra {
            body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n"
        }
        body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(fileName)\"\r\n"
        body += "Content-Type: application/octet-stream\r\n\r\n"
        var bytes = Array(body.utf8) + file
        bytes += Array("\r\n--\(boundary)--\r\n".utf8)
        var request = HTTPClientRequest(url: form.url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "multipart/form-data; boundary=\(boundary)")
        request.body = .bytes(ByteBuffer(bytes: bytes))
        let response = try await http.execute(request, timeout: .seconds(30))
        return Reply(
            status: Int(response.status.code), crc64: response.headers.first(name: "x-oss-hash-crc64ecma").flatMap(UInt64.init),
            body: Array(buffer: try await response.body.collect(upTo: 1 << 20)))
    }
}
