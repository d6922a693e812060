import AsyncHTTPClient
import Foundation
import NIOCore
import OSSClient
import Testing

/// A custom domain bound to a bucket: `localhost` stands for it here (it resolves to loopback),
/// bound to `bkt` with `OSSServerConfiguration.cnames`.
@Suite("CNAME endpoints: a custom domain bound to one bucket")
struct CNAMETests {
    static let bucket = TestServer.bucket

    @Test("Objects, listings, multipart uploads, presigned URLs and forms go through the domain", arguments: [OSSSignatureVersion.v4, .v1])
    func throughTheDomain(version: OSSSignatureVersion) async throws {
        try await TestServer.run(cnames: ["localhost": Self.bucket]) { server in
            let client = TestServer.client(
                port: server.port, signatureVersion: version, endpoint: "http://localhost:\(server.port)", addressing: .cname)
            defer { Task { try? await client.shutdown() } }
            let bytes = TestBytes.random(count: 40_000, seed: 51)
            let put = try await client.putObject(OSSPutObjectRequest(bucket: Self.bucket, key: "c/a b.bin", body: .bytes(bytes)))
            #expect(put.crcVerification == .verified(TestBytes.crc(bytes)))
            // The object is the bucket's: the path-style client on 127.0.0.1 sees it.
            #expect(try await server.client.getObject(bucket: Self.bucket, key: "c/a b.bin").body == bytes)
            #expect(try await client.getObject(bucket: Self.bucket, key: "c/a b.bin").body == bytes)
            let listing = try await client.listObjectsV2(OSSListObjectsV2Request(bucket: Self.bucket, prefix: "c/"))
            #expect(listing.contents.map(\.key) == ["c/a b.bin"])

            let (file, fileBytes) = try server.makeFile("cname.bin", size: 500_000, seed: 52)
            let uploaded = try await OSSUploader(
                client: client, options: OSSUploaderOptions(partSize: 100 << 10, multipartThreshold: 200_000)
            ).upload(file: file, bucket: Self.bucket, key: "c/multipart")
            #expect(uploaded.partCount == 5)
            #expect(uploaded.crcVerification == .verified(TestBytes.crc(fileBytes)))

            let url = try await client.presign(OSSPresignRequest(method: .get, bucket: Self.bucket, key: "c/a b.bin"))
            // No bucket in the host or the path: the key is the whole path (its `/` encoded).
            #expect(url.url.hasPrefix("http://localhost:\(server.port)/c%2Fa%20b.bin?"), "\(url.url)")
            let http = HTTPClient(eventLoopGroupProvider: .singleton)
            defer { _ = http.shutdown() }
            let fetched = try await http.execute(HTTPClientRequest(url: url.url), timeout: .seconds(30))
            #expect(fetched.status == .ok)
            #expect(Array(buffer: try await fetched.body.collect(upTo: 1 << 20)) == bytes)

            let posted = try await client.postObject(OSSPostObjectRequest(bucket: Self.bucket, key: "c/form", body: .bytes(bytes)))
            #expect(posted.crcVerification == .verified(TestBytes.crc(bytes)))
        }
    }

    @Test("Service requests and other buckets cannot go through a bound domain")
    func refusals() async throws {
        try await TestServer.run(cnames: ["localhost": Self.bucket]) { server async throws in
            let client = TestServer.client(port: server.port, endpoint: "http://localhost:\(server.port)", addressing: .cname)
            defer { Task { try? await client.shutdown() } }
            let listBuckets = await #expect(throws: OSSClientError.self) { try await client.listBuckets() }
            guard listBuckets?.code == .invalidArgument, let message = listBuckets?.message else {
                Issue.record("expected invalidArgument, got \(String(describing: listBuckets))")
                return
            }
            #expect(message.contains("CNAME"))
            // Signed for another bucket, received for the bound one: the signature cannot match.
            let other = await #expect(throws: OSSClientError.self) {
                try await client.putObject(OSSPutObjectRequest(bucket: "another", key: "k", body: .bytes([1])))
            }
            guard let service = other?.serviceError else {
                Issue.record("expected a service error, got \(String(describing: other))")
                return
            }
            #expect(service.code == "SignatureDoesNotMatch")
            #expect(try await !server.client.objectExists(bucket: Self.bucket, key: "k"))
        }
    }
}
