import Foundation
import OSSClient
import Testing

@Suite("CopyObject against a real server")
struct CopyTests {
    static let bucket = TestServer.bucket

    static func putSource(_ client: OSSClient, _ bytes: [UInt8]) async throws -> OSSPutObjectResult {
        try await client.putObject(
            OSSPutObjectRequest(
                bucket: bucket, key: "src", body: .bytes(bytes),
                options: OSSObjectWriteOptions(contentType: "text/x-src", metadata: ["origin": "test"])))
    }

    @Test("COPY keeps the source's metadata; the copy's CRC is checked against a HEAD of the source")
    func copyDirective() async throws {
        try await TestServer.run { server in
            let bytes = TestBytes.random(count: 70_000, seed: 31)
            _ = try await Self.putSource(server.client, bytes)
            let result = try await server.client.copyObject(
                OSSCopyObjectRequest(sourceBucket: Self.bucket, sourceKey: "src", bucket: Self.bucket, key: "dst"))
            #expect(result.crcVerification == .verified(TestBytes.crc(bytes)))
            #expect(result.crc64 == TestBytes.crc(bytes))
            let copy = try await server.client.getObject(bucket: Self.bucket, key: "dst")
            #expect(copy.body == bytes)
            #expect(copy.metadata.contentType == "text/x-src")
            #expect(copy.metadata.metadata == ["origin": "test"])
            #expect(copy.metadata.etag == result.etag)
        }
    }

    @Test("REPLACE sets new metadata, also in place; a given source CRC is used without a HEAD")
    func replaceDirective() async throws {
        try await TestServer.run { server in
            let bytes = TestBytes.random(count: 5000, seed: 32)
            let put = try await Self.putSource(server.client, bytes)
            let replaced = try await server.client.copyObject(
                OSSCopyObjectRequest(
                    sourceBucket: Self.bucket, sourceKey: "src", bucket: Self.bucket, key: "src",
                    metadataDirective: .replace,
                    options: OSSObjectWriteOptions(contentType: "application/x-new", metadata: ["stage": "two"]),
                    sourceCRC64: put.crc64))
            #expect(replaced.crcVerification == .verified(TestBytes.crc(bytes)))
            let head = try await server.client.headObject(bucket: Self.bucket, key: "src")
            #expect(head.contentType == "application/x-new")
            #expect(head.metadata == ["stage": "two"])
            #expect(try await server.client.getObject(bucket: Self.bucket, key: "src").body == bytes)
        }
    }

    @Test("A wrong source CRC is reported as a CRC mismatch")
    func wrongSourceCRC() async throws {
        try await TestServer.run { server in
            let bytes = TestBytes.random(count: 1000, seed: 33)
            _ = try await Self.putSource(server.client, bytes)
            let error = await #expect(throws: OSSClientError.self) {
                try await server.client.copyObject(
                    OSSCopyObjectRequest(
                        sourceBucket: Self.bucket, sourceKey: "src", bucket: Self.bucket, key: "dst",
                        sourceCRC64: TestBytes.crc(bytes) &+ 1))
            }
            guard let mismatch = error?.crcMismatch else {
                Issue.record("expected a CRC mismatch, got \(String(describing: error))")
                return
            }
            #expect(mismatch.serverCRC == TestBytes.crc(bytes))
            #expect(mismatch.clientCRC == TestBytes.crc(bytes) &+ 1)
        }
    }

    @Test("Across buckets; source conditions and forbid-overwrite refuse the copy")
    func acrossBucketsAndConditions() async throws {
        try await TestServer.run { server in
            let bytes = TestBytes.random(count: 2000, seed: 34)
            let put = try await Self.putSource(server.client, bytes)
            try await server.client.createBucket("other")
            let across = try await server.client.copyObject(
                OSSCopyObjectRequest(
                    sourceBucket: Self.bucket, sourceKey: "src", bucket: "other", key: "dir/copy",
                    conditions: OSSCopySourceConditions(ifMatch: put.etag)))
            #expect(across.crcVerification == .verified(TestBytes.crc(bytes)))
            #expect(try await server.client.getObject(bucket: "other", key: "dir/copy").body == bytes)
            let stale = await #expect(throws: OSSClientError.self) {
                try await server.client.copyObject(
                    OSSCopyObjectRequest(
                        sourceBucket: Self.bucket, sourceKey: "src", bucket: "other", key: "never",
                        conditions: OSSCopySourceConditions(ifMatch: "\"0123456789ABCDEF0123456789ABCDEF\"")))
            }
            #expect(stale?.serviceCode == "PreconditionFailed")
            let overwrite = await #expect(throws: OSSClientError.self) {
                try await server.client.copyObject(
                    OSSCopyObjectRequest(
                        sourceBucket: Self.bucket, sourceKey: "src", bucket: "other", key: "dir/copy",
                        options: OSSObjectWriteOptions(forbidOverwrite: true)))
            }
            #expect(overwrite?.serviceCode == "FileAlreadyExists")
            let missing = try await server.client.objectExists(bucket: "other", key: "never")
            #expect(!missing)
        }
    }

    @Test("The copier uses one CopyObject below its multipart threshold")
    func copierSingleRequest() async throws {
        try await TestServer.run { server in
            let bytes = TestBytes.random(count: 50_000, seed: 35)
            _ = try await Self.putSource(server.client, bytes)
            try await TamperingProxy.run(upstreamPort: server.port) { proxy in
                try await server.withClient(port: proxy.port) { client in
                    let copier = OSSCopier(client: client, options: .init(partSize: 100 << 10))
                    let result = try await copier.copy(sourceBucket: Self.bucket, sourceKey: "src", bucket: Self.bucket, key: "c")
                    #expect(result.partCount == 0)
                    #expect(result.crcVerification == .verified(TestBytes.crc(bytes)))
                    let puts = proxy.exchanges.filter { $0.method == "PUT" }
                    #expect(puts.count == 1)
                    #expect(puts.first.map { !$0.path.contains("uploadId") } == true)
                    #expect(proxy.exchanges.contains { $0.method == "POST" } == false)
                }
            }
            let copy = try await server.client.getObject(bucket: Self.bucket, key: "c")
            #expect(copy.body == bytes)
            #expect(copy.metadata.contentType == "text/x-src")
        }
    }
}
