import AsyncHTTPClient
import Foundation
import NIOCore
import OSSClient
import Testing

@Suite("Object operations against a real server")
struct ObjectTests {
    static let bucket = TestServer.bucket

    @Test("Put bytes, then get them back verified by an independently computed CRC", arguments: [OSSSignatureVersion.v4, .v1])
    func putAndGetBytes(signature: OSSSignatureVersion) async throws {
        try await TestServer.run { server in
            try await server.withClient(signatureVersion: signature) { client in
                let bytes = TestBytes.random(count: 300_000, seed: 7)
                let expected = TestBytes.crc(bytes)
                let put = try await client.putObject(
                    OSSPutObjectRequest(
                        bucket: Self.bucket, key: "dir/a b+c%d~中.bin", body: .bytes(bytes),
                        options: OSSObjectWriteOptions(contentType: "application/x-test", metadata: ["Author": "alice"])))
                #expect(put.crcVerification == .verified(expected))
                #expect(put.crc64 == expected)
                #expect(put.size == Int64(bytes.count))
                let get = try await client.getObject(bucket: Self.bucket, key: "dir/a b+c%d~中.bin")
                #expect(get.body == bytes)
                #expect(get.crcVerification == .verified(expected))
                #expect(get.metadata.contentType == "application/x-test")
                #expect(get.metadata.metadata["author"] == "alice")
                #expect(get.metadata.etag == put.etag)
            }
        }
    }

    @Test("Put a file and a stream; both are stored intact")
    func putFileAndStream() async throws {
        try await TestServer.run { server in
            let (file, bytes) = try server.makeFile("upload.bin", size: 2_500_000, seed: 3)
            let fromFile = try await server.client.putObject(
                OSSPutObjectRequest(bucket: Self.bucket, key: "file", body: .file(file)))
            #expect(fromFile.crcVerification == .verified(TestBytes.crc(bytes)))
            let chunks = stride(from: 0, to: bytes.count, by: 100_000).map {
                ByteBuffer(bytes: bytes[$0..<min($0 + 100_000, bytes.count)])
            }
            let stream = AsyncStream<ByteBuffer> { continuation in
                for chunk in chunks { continuation.yield(chunk) }
                continuation.finish()
            }
            let fromStream = try await server.client.putObject(
                OSSPutObjectRequest(bucket: Self.bucket, key: "stream", body: .stream(stream)))
            #expect(fromStream.crcVerification == .verified(TestBytes.crc(bytes)))
            #expect(fromStream.size == Int64(bytes.count))
            for key in ["file", "stream"] {
                #expect(try await server.client.getObject(bucket: Self.bucket, key: key).body == bytes)
            }
        }
    }

    @Test("Ranged reads are unverified unless they cover the whole object")
    func ranges() async throws {
        try await TestServer.run { server in
            let bytes = TestBytes.random(count: 1000, seed: 9)
            _ = try await server.client.putObject(OSSPutObjectRequest(bucket: Self.bucket, key: "r", body: .bytes(bytes)))
            let part = try await server.client.getObject(
                OSSGetObjectRequest(bucket: Self.bucket, key: "r", range: .closed(first: 10, last: 19)))
            #expect(part.body == Array(bytes[10...19]))
            #expect(part.contentRange == "bytes 10-19/1000")
            #expect(part.crcVerification == .unverified(.partialContent))
            #expect(part.metadata.crc64 == TestBytes.crc(bytes))
            let suffix = try await server.client.getObject(
                OSSGetObjectRequest(bucket: Self.bucket, key: "r", range: .suffix(length: 5)))
            #expect(suffix.body == Array(bytes[995...]))
            let whole = try await server.client.getObject(
                OSSGetObjectRequest(bucket: Self.bucket, key: "r", range: .from(first: 0)))
            #expect(whole.crcVerification == .verified(TestBytes.crc(bytes)))
            let strict = await #expect(throws: OSSClientError.self) {
                try await server.client.getObject(
                    OSSGetObjectRequest(bucket: Self.bucket, key: "r", range: .from(first: 5000), strictRange: true))
            }
            #expect(strict?.serviceCode == "InvalidRange")
        }
    }

    @Test("Head, GetObjectMeta, conditions and response overrides")
    func metadataAndConditions() async throws {
        try await TestServer.run { server in
            let client = server.client
            let bytes = Array("hello, oss".utf8)
            let put = try await client.putObject(
                OSSPutObjectRequest(
                    bucket: Self.bucket, key: "h.txt", body: .bytes(bytes),
                    options: OSSObjectWriteOptions(contentType: "text/plain", cacheControl: "no-cache", contentLanguage: "en-GB")))
            let head = try await client.headObject(bucket: Self.bucket, key: "h.txt")
            #expect(head.contentLanguage == "en-GB")
            #expect(head.contentLength == 10)
            #expect(head.crc64 == 11_726_769_516_912_404_153)  // §4.5 vector
            #expect(head.cacheControl == "no-cache")
            #expect(head.objectType == .normal)
            let meta = try await client.getObjectMeta(bucket: Self.bucket, key: "h.txt")
            #expect(meta.size == 10)
            #expect(meta.crc64 == 11_726_769_516_912_404_153)
            #expect(OSSETag.matches(meta.etag, put.etag))
            #expect(try await client.objectExists(bucket: Self.bucket, key: "h.txt"))
            #expect(try await !client.objectExists(bucket: Self.bucket, key: "missing"))
            let noBucket = await #expect(throws: OSSClientError.self) { try await client.objectExists(bucket: "nobucket", key: "k") }
            #expect(noBucket?.serviceCode == "NoSuchBucket")

            let failed = await #expect(throws: OSSClientError.self) {
                try await client.getObject(OSSGetObjectRequest(bucket: Self.bucket, key: "h.txt", ifMatch: "\"0000\""))
            }
            #expect(failed?.serviceCode == "PreconditionFailed")
            let notModified = await #expect(throws: OSSClientError.self) {
                try await client.getObject(OSSGetObjectRequest(bucket: Self.bucket, key: "h.txt", ifNoneMatch: put.etag))
            }
            #expect(notModified?.serviceCode == "NotModified")
            let headMissing = await #expect(throws: OSSClientError.self) {
                try await client.headObject(bucket: Self.bucket, key: "missing")
            }
            #expect(headMissing?.serviceCode == "NoSuchKey")
            let overridden = try await client.getObject(
                OSSGetObjectRequest(
                    bucket: Self.bucket, key: "h.txt",
                    responseOverrides: ["content-type": "application/json", "content-disposition": "attachment"]))
            #expect(overridden.metadata.contentType == "application/json")
            #expect(overridden.metadata.contentDisposition == "attachment")
        }
    }

    @Test("Delete one object, then several; overwrite protection")
    func deletes() async throws {
        try await TestServer.run { server in
            let client = server.client
            for key in ["a", "b", "c&d", "e"] {
                _ = try await client.putObject(OSSPutObjectRequest(bucket: Self.bucket, key: key, body: .bytes([1])))
            }
            let refused = await #expect(throws: OSSClientError.self) {
                try await client.putObject(
                    OSSPutObjectRequest(
                        bucket: Self.bucket, key: "a", body: .bytes([2]),
                        options: OSSObjectWriteOptions(forbidOverwrite: true)))
            }
            #expect(refused?.serviceCode == "FileAlreadyExists")
            try await client.deleteObject(bucket: Self.bucket, key: "a")
            try await client.deleteObject(bucket: Self.bucket, key: "a")  // idempotent
            let result = try await client.deleteObjects(bucket: Self.bucket, keys: ["b", "c&d", "missing"])
            #expect(Set(result.deleted.map(\.key)) == ["b", "c&d", "missing"])
            let remaining = try await client.listObjects(OSSListObjectsRequest(bucket: Self.bucket))
            #expect(remaining.contents.map(\.key) == ["e"])
        }
    }

    @Test("Download to a file: verified, and only the destination remains")
    func downloadToFile() async throws {
        try await TestServer.run { server in
            let bytes = TestBytes.random(count: 3_000_000, seed: 11)
            _ = try await server.client.putObject(OSSPutObjectRequest(bucket: Self.bucket, key: "big", body: .bytes(bytes)))
            let destination = server.scratch.appendingPathComponent("big.out")
            let result = try await server.client.getObject(
                OSSGetObjectRequest(bucket: Self.bucket, key: "big"), to: destination)
            #expect(result.crcVerification == .verified(TestBytes.crc(bytes)))
            #expect(result.bytesWritten == 3_000_000)
            #expect(try Array(Data(contentsOf: destination)) == bytes)
            #expect(try server.scratchContents() == ["big.out"])
        }
    }

    @Test("Turning verification off reports every transfer as unverified")
    func verificationOff() async throws {
        try await TestServer.run { server in
            try await server.withClient(verifiesCRC64: false) { client in
                let put = try await client.putObject(OSSPutObjectRequest(bucket: Self.bucket, key: "k", body: .bytes([1, 2])))
                #expect(put.crcVerification == .unverified(.disabled))
                let get = try await client.getObject(bucket: Self.bucket, key: "k")
                #expect(get.crcVerification == .unverified(.disabled))
            }
        }
    }

    @Test("Virtual-hosted addressing reaches the bucket through the host name")
    func virtualHosted() async throws {
        try await TestServer.run { server in
            var configuration = HTTPClient.Configuration()
            configuration.dnsOverride = ["bkt.oss.local": "127.0.0.1"]
            let http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
            let client = TestServer.client(
                port: server.port, httpClient: http, endpoint: "http://oss.local:\(server.port)")
            let put = try await client.putObject(OSSPutObjectRequest(bucket: "bkt", key: "v/h", body: .bytes([9, 9])))
            #expect(put.crcVerification.isVerified)
            let get = try await server.client.getObject(bucket: "bkt", key: "v/h")
            #expect(get.body == [9, 9])
            try await http.shutdown()
        }
    }

    @Test("A streamed body is checked at its end")
    func streaming() async throws {
        try await TestServer.run { server in
            let bytes = TestBytes.random(count: 700_000, seed: 19)
            _ = try await server.client.putObject(OSSPutObjectRequest(bucket: Self.bucket, key: "s", body: .bytes(bytes)))
            let stream = try await server.client.getObjectStream(OSSGetObjectRequest(bucket: Self.bucket, key: "s"))
            #expect(stream.metadata.crc64 == TestBytes.crc(bytes))
            #expect(stream.body.crcVerification == nil)
            var received: [UInt8] = []
            for try await chunk in stream.body { received += chunk.readableBytesView }
            #expect(received == bytes)
            #expect(stream.body.crcVerification == .verified(TestBytes.crc(bytes)))
            let ranged = try await server.client.getObjectStream(
                OSSGetObjectRequest(bucket: Self.bucket, key: "s", range: .closed(first: 1, last: 2)))
            for try await _ in ranged.body {}
            #expect(ranged.body.crcVerification == .unverified(.partialContent))
        }
    }

    @Test("RestoreObject starts a restore of an archived object; HEAD shows it in progress")
    func restoreArchivedObject() async throws {
        try await TestServer.run { server in
            let client = server.client
            _ = try await client.putObject(
                OSSPutObjectRequest(
                    bucket: Self.bucket, key: "frozen", body: .bytes([1, 2, 3]),
                    options: OSSObjectWriteOptions(storageClass: .archive)))
            let refused = await #expect(throws: OSSClientError.self) {
                try await client.getObject(bucket: Self.bucket, key: "frozen")
            }
            #expect(refused?.serviceError?.code == "InvalidObjectState")
            #expect(try await client.headObject(bucket: Self.bucket, key: "frozen").restore == nil)
            #expect(try await client.restoreObject(bucket: Self.bucket, key: "frozen", days: 2, tier: "Bulk"))
            #expect(try await client.headObject(bucket: Self.bucket, key: "frozen").restore == "ongoing-request=\"true\"")
            let running = await #expect(throws: OSSClientError.self) {
                try await client.restoreObject(bucket: Self.bucket, key: "frozen")
            }
            #expect(running?.serviceError?.code == "RestoreAlreadyInProgress")
            _ = try await client.putObject(OSSPutObjectRequest(bucket: Self.bucket, key: "warm", body: .bytes([4])))
            let standard = await #expect(throws: OSSClientError.self) {
                try await client.restoreObject(bucket: Self.bucket, key: "warm")
            }
            #expect(standard?.serviceError?.code == "OperationNotSupported")
        }
    }
}
