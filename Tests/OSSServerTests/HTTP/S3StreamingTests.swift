import CRC64
import Foundation
import HTTPTypes
import NIOCore
import OSSProtocol
import Testing

@testable import OSSServer

/// S3 uploads in `aws-chunked` form with every chunk signed (`STREAMING-AWS4-HMAC-SHA256-PAYLOAD`,
/// and `-TRAILER` with a signed checksum trailer), as the AWS CLI v2 and the Java and Go SDKs send
/// them; boto3, which the conformance suite drives, sends only the unsigned form.
@Suite("S3 signed streaming uploads")
struct S3StreamingTests {
    static let region = "us-east-1"

    /// A signed aws-chunked PutObject of `payload` in chunks of `chunkSize`; `tamper` may change
    /// the framed body after signing (its `Content-Length` follows).
    static func put(
        _ server: LiveServer, key: String, payload: [UInt8], chunkSize: Int = 8_192, trailer: Bool = false,
        tamper: (inout [UInt8]) -> Void = { _ in }
    ) async throws -> LiveResponse {
        let date = Date()
        let timestamp = OSSDateFormat.v4Timestamp(date)
        let kind: AWSStreamingPayload = trailer ? .signedWithTrailer : .signed
        let chunkCount = (payload.count + chunkSize - 1) / chunkSize
        // The framed length is signed, so it is computed before the chunks are.
        var framedLength = 0
        for index in 0..<chunkCount {
            let size = min(chunkSize, payload.count - index * chunkSize)
            framedLength += String(size, radix: 16).utf8.count + ";chunk-signature=".utf8.count + 64 + 2 + size + 2
        }
        framedLength += "0;chunk-signature=".utf8.count + 64 + 2
        let checksum = S3ChecksumAlgorithm.crc64nvme.headerValue(crc: CRC64.nvme.checksum(payload))
        let trailerLine = "x-amz-checksum-crc64nvme:\(checksum)"
        if trailer {
            framedLength += trailerLine.utf8.count + 2 + "x-amz-trailer-signature:".utf8.count + 64 + 2 + 2
        } else {
            framedLength += 2
        }
        var headers: [(name: String, value: String)] = [
            ("host", "localhost"), ("content-encoding", "aws-chunked"), ("x-amz-decoded-content-length", String(payload.count)),
        ]
        if trailer { headers.append(("x-amz-trailer", "x-amz-checksum-crc64nvme")) }
        let signed = AWSSignatureV4.signedHeaders(
            method: "PUT", path: "/bkt/\(key)", query: [], headers: headers, payloadHash: kind.rawValue,
            accessKeyID: LiveServer.credentials.accessKeyID, secret: LiveServer.credentials.secret, region: region, date: date)
        let authorization = try #require(signed.first { $0.name == "Authorization" }?.value)
        let seed = String(try #require(authorization.split(separator: "=").last))
        let scope = AWSSignatureV4.Scope(timestamp: timestamp, region: region)
        var signer = AWSChunkSigner(
            seedSignature: seed, timestamp: timestamp, scope: scope,
            signingKey: AWSSignatureV4.signingKey(secret: LiveServer.credentials.secret, scope: scope))
        var body: [UInt8] = []
        for index in 0..<chunkCount {
            let chunk = Array(payload[(index * chunkSize)..<min(payload.count, (index + 1) * chunkSize)])
            body += Array("\(String(chunk.count, radix: 16));chunk-signature=\(signer.signChunk(data: chunk))\r\n".utf8) + chunk + [13, 10]
        }
        body += Array("0;chunk-signature=\(signer.signChunk(data: []))\r\n".utf8)
        if trailer {
            let trailerSignature = signer.signTrailer([(name: "x-amz-checksum-crc64nvme", value: checksum)])
            body += Array("\(trailerLine)\r\nx-amz-trailer-signature:\(trailerSignature)\r\n\r\n".utf8)
        } else {
            body += [13, 10]
        }
        #expect(body.count == framedLength)
        tamper(&body)
        // Content-Length is left unsigned (as SDKs may), so that a test can cut the body short.
        var fields: HTTPFields = [.contentLength: String(body.count)]
        for (name, value) in headers + signed where name != "host" {
            fields.append(HTTPField(name: HTTPField.Name(name)!, value: value))
        }
        return try await server.execute(uri: "/bkt/\(key)", method: .put, headers: fields, body: ByteBuffer(bytes: body))
    }

    @Test("signed chunks are verified and decoded: the object is the payload, with both CRC-64s")
    func signedChunks() async throws {
        try await LiveServer.run { server in
            let payload = testBytes(50_000, seed: 11)
            let response = try await Self.put(server, key: "signed", payload: payload)
            #expect(response.status == .ok, "\(response.bodyText)")
            let object = try await server.storage.objectInfo(bucket: "bkt", key: "signed")
            #expect(object.size == payload.count)
            #expect(object.crc64 == CRC64.xz.checksum(payload))
            #expect(object.checksums.crc64nvme == CRC64.nvme.checksum(payload))
            #expect(object.attributes.contentEncoding == nil)  // aws-chunked is framing, not the object's encoding
            #expect(try await read(server.storage, "signed") == payload)
        }
    }

    @Test("a signed trailer carries the checksum, verified against the decoded bytes")
    func signedTrailer() async throws {
        try await LiveServer.run { server in
            let payload = testBytes(20_000, seed: 12)
            let response = try await Self.put(server, key: "trailed", payload: payload, trailer: true)
            #expect(response.status == .ok, "\(response.bodyText)")
            #expect(response.header("x-amz-checksum-crc64nvme") == S3ChecksumAlgorithm.crc64nvme.headerValue(crc: CRC64.nvme.checksum(payload)))
            #expect(try await read(server.storage, "trailed") == payload)
        }
    }

    @Test("a byte changed in a signed chunk is SignatureDoesNotMatch and nothing is stored")
    func tamperedChunk() async throws {
        try await LiveServer.run { server in
            let payload = testBytes(30_000, seed: 13)
            let response = try await Self.put(server, key: "tampered", payload: payload) { body in
                body[20_000] ^= 0x01  // inside the third chunk's data
            }
            #expect(response.status == .forbidden)
            #expect(response.errorCode == "SignatureDoesNotMatch")
            await #expect(throws: StorageError.self) { try await server.storage.objectInfo(bucket: "bkt", key: "tampered") }
        }
    }

    @Test("a changed trailer is refused and nothing is stored")
    func tamperedTrailer() async throws {
        try await LiveServer.run { server in
            let payload = testBytes(9_000, seed: 14)
            let response = try await Self.put(server, key: "t", payload: payload, trailer: true) { body in
                // The trailer's checksum value: the first base64 letter after the name.
                let name = Array("x-amz-checksum-crc64nvme:".utf8)
                let start = try! #require((0...(body.count - name.count)).first { Array(body[$0..<($0 + name.count)]) == name })
                body[start + name.count] = body[start + name.count] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
            }
            #expect(response.status.code >= 400)
            #expect(["SignatureDoesNotMatch", "BadDigest"].contains(response.errorCode ?? ""))
            await #expect(throws: StorageError.self) { try await server.storage.objectInfo(bucket: "bkt", key: "t") }
        }
    }

    @Test("a body cut short of its decoded length stores nothing")
    func truncated() async throws {
        try await LiveServer.run { server in
            let payload = testBytes(12_000, seed: 15)
            let response = try await Self.put(server, key: "short", payload: payload) { body in
                body.removeLast(40)
            }
            #expect(response.status.code >= 400)
            await #expect(throws: StorageError.self) { try await server.storage.objectInfo(bucket: "bkt", key: "short") }
        }
    }
}
