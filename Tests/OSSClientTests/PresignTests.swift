import AsyncHTTPClient
import Foundation
import NIOCore
import OSSClient
import Testing

@Suite("Presigned URLs")
struct PresignTests {
    @Test("PUT then GET through presigned URLs, without credentials", arguments: [OSSSignatureVersion.v4, .v1])
    func putAndGet(version: OSSSignatureVersion) async throws {
        try await TestServer.run { server in
            let http = HTTPClient(eventLoopGroupProvider: .singleton)
            let bytes = Array("presigned body".utf8)
            let put = try await server.client.presign(
                OSSPresignRequest(
                    method: .put, bucket: TestServer.bucket, key: "p/k", expiresIn: .seconds(300),
                    headers: ["Content-Type": "text/plain"], signatureVersion: version))
            var request = HTTPClientRequest(url: put.url)
            request.method = .PUT
            for (name, value) in put.headers { request.headers.add(name: name, value: value) }
            request.body = .bytes(ByteBuffer(bytes: bytes))
            let putResponse = try await http.execute(request, timeout: .seconds(30))
            #expect(putResponse.status == .ok)
            #expect(putResponse.headers.first(name: "x-oss-hash-crc64ecma") == String(TestBytes.crc(bytes)))

            let get = try await server.client.presign(
                OSSPresignRequest(
                    method: .get, bucket: TestServer.bucket, key: "p/k",
                    query: ["response-content-disposition": "attachment"], signatureVersion: version))
            let getResponse = try await http.execute(HTTPClientRequest(url: get.url), timeout: .seconds(30))
            #expect(getResponse.status == .ok)
            #expect(getResponse.headers.first(name: "Content-Disposition") == "attachment")
            #expect(Array(buffer: try await getResponse.body.collect(upTo: 1 << 20)) == bytes)

            // The signature covers the Content-Type: a different one is refused.
            var wrongType = HTTPClientRequest(url: put.url)
            wrongType.method = .PUT
            wrongType.headers.add(name: "Content-Type", value: "image/png")
            wrongType.body = .bytes(ByteBuffer(bytes: bytes))
            #expect(try await http.execute(wrongType, timeout: .seconds(30)).status == .forbidden)
            try await http.shutdown()
        }
    }

    @Test("V4 expiry outside 1 s to 7 days is refused before signing")
    func expiryBounds() async throws {
        try await TestServer.run { server in
            await #expect(throws: OSSClientError.self) {
                try await server.client.presign(
                    OSSPresignRequest(method: .get, bucket: "bkt", key: "k", expiresIn: .seconds(604_801)))
            }
        }
    }
}
