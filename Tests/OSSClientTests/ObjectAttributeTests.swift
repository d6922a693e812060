import AsyncHTTPClient
import Foundation
import NIOCore
import OSSClient
import Testing

@Suite("Tagging, ACLs and symlinks against a real server")
struct ObjectAttributeTests {
    static let bucket = TestServer.bucket

    /// The status of an unsigned GET, as an anonymous reader sees the object.
    static func anonymousStatus(_ server: TestServer, key: String) async throws -> Int {
        let http = HTTPClient(eventLoopGroupProvider: .singleton)
        do {
            let response = try await http.execute(
                HTTPClientRequest(url: "\(server.endpoint)/\(bucket)/\(key)"), timeout: .seconds(10))
            _ = try await response.body.collect(upTo: 1 << 20)
            try await http.shutdown()
            return Int(response.status.code)
        } catch {
            try? await http.shutdown()
            throw error
        }
    }

    @Test("Tags: set on write, replaced, read back in key order, deleted")
    func tagging() async throws {
        try await TestServer.run { server in
            let client = server.client
            _ = try await client.putObject(
                OSSPutObjectRequest(
                    bucket: Self.bucket, key: "t", body: .bytes([1, 2, 3]),
                    options: OSSObjectWriteOptions(tagging: OSSTagging(["team": "a b", "env": "dev"]))))
            #expect(try await client.getObjectTagging(bucket: Self.bucket, key: "t").dictionary == ["team": "a b", "env": "dev"])
            try await client.putObjectTagging(
                bucket: Self.bucket, key: "t", tagging: OSSTagging(tags: [(key: "z", value: "1"), (key: "a", value: "x=y:/+")]))
            let tags = try await client.getObjectTagging(bucket: Self.bucket, key: "t")
            #expect(tags.tags.map(\.key) == ["a", "z"])
            #expect(tags.dictionary == ["a": "x=y:/+", "z": "1"])
            try await client.deleteObjectTagging(bucket: Self.bucket, key: "t")
            #expect(try await client.getObjectTagging(bucket: Self.bucket, key: "t").tags.isEmpty)
            let tooMany = OSSTagging(Dictionary(uniqueKeysWithValues: (0..<11).map { ("k\($0)", "v") }))
            let refused = await #expect(throws: OSSClientError.self) {
                try await client.putObjectTagging(bucket: Self.bucket, key: "t", tagging: tooMany)
            }
            #expect(refused?.serviceCode != nil)
            let missing = await #expect(throws: OSSClientError.self) {
                try await client.getObjectTagging(bucket: Self.bucket, key: "none")
            }
            #expect(missing?.serviceCode == "NoSuchKey")
        }
    }

    @Test("Copy replaces tags only when asked")
    func copyTags() async throws {
        try await TestServer.run { server in
            let client = server.client
            _ = try await client.putObject(
                OSSPutObjectRequest(
                    bucket: Self.bucket, key: "s", body: .bytes([9]),
                    options: OSSObjectWriteOptions(tagging: OSSTagging(["k": "v"]))))
            _ = try await client.copyObject(
                OSSCopyObjectRequest(sourceBucket: Self.bucket, sourceKey: "s", bucket: Self.bucket, key: "kept"))
            #expect(try await client.getObjectTagging(bucket: Self.bucket, key: "kept").dictionary == ["k": "v"])
            _ = try await client.copyObject(
                OSSCopyObjectRequest(
                    sourceBucket: Self.bucket, sourceKey: "s", bucket: Self.bucket, key: "new",
                    tagging: OSSTagging(["n": "1"])))
            #expect(try await client.getObjectTagging(bucket: Self.bucket, key: "new").dictionary == ["n": "1"])
        }
    }

    @Test("Bucket and object ACLs round-trip and decide what an anonymous reader gets")
    func acls() async throws {
        try await TestServer.run { server in
            let client = server.client
            _ = try await client.putObject(OSSPutObjectRequest(bucket: Self.bucket, key: "o", body: .bytes([1])))
            #expect(try await client.getBucketACL(Self.bucket) == .private)
            #expect(try await client.getObjectACL(bucket: Self.bucket, key: "o") == .default)
            #expect(try await Self.anonymousStatus(server, key: "o") == 403)
            try await client.putObjectACL(bucket: Self.bucket, key: "o", acl: .publicRead)
            #expect(try await client.getObjectACL(bucket: Self.bucket, key: "o") == .publicRead)
            #expect(try await Self.anonymousStatus(server, key: "o") == 200)
            try await client.putObjectACL(bucket: Self.bucket, key: "o", acl: .default)
            #expect(try await Self.anonymousStatus(server, key: "o") == 403)
            for acl in OSSBucketACL.allCases.reversed() {
                try await client.putBucketACL(Self.bucket, acl: acl)
                #expect(try await client.getBucketACL(Self.bucket) == acl)
            }
            #expect(try await client.getBucketACL(Self.bucket) == .private)
            try await client.putBucketACL(Self.bucket, acl: .publicRead)
            #expect(try await Self.anonymousStatus(server, key: "o") == 200)
            try await client.putObjectACL(bucket: Self.bucket, key: "o", acl: .private)
            #expect(try await Self.anonymousStatus(server, key: "o") == 403)
        }
    }

    @Test("Symlinks: put and get the link, read through it, dangling links and ordinary objects")
    func symlinks() async throws {
        try await TestServer.run { server in
            let client = server.client
            let bytes = TestBytes.random(count: 10_000, seed: 41)
            let target = "dir/target 中%.bin"
            _ = try await client.putObject(OSSPutObjectRequest(bucket: Self.bucket, key: target, body: .bytes(bytes)))
            let etag = try await client.putSymlink(
                OSSPutSymlinkRequest(
                    bucket: Self.bucket, key: "link", target: target,
                    options: OSSObjectWriteOptions(contentType: "text/x-link", metadata: ["role": "alias"])))
            let link = try await client.getSymlink(bucket: Self.bucket, key: "link")
            #expect(link.target == target)
            #expect(link.etag == etag)
            #expect(link.contentType == "text/x-link")
            #expect(link.metadata == ["role": "alias"])
            let through = try await client.getObject(bucket: Self.bucket, key: "link")
            #expect(through.body == bytes)
            #expect(through.crcVerification == .verified(TestBytes.crc(bytes)))
            let head = try await client.headObject(bucket: Self.bucket, key: "link")
            #expect(head.contentLength == Int64(bytes.count))
            #expect(head.crc64 == TestBytes.crc(bytes))
            try await client.putSymlink(OSSPutSymlinkRequest(bucket: Self.bucket, key: "dangling", target: "nowhere"))
            let dangling = await #expect(throws: OSSClientError.self) {
                try await client.getObject(bucket: Self.bucket, key: "dangling")
            }
            #expect(dangling?.serviceCode == "SymlinkTargetNotExist")
            let notLink = await #expect(throws: OSSClientError.self) {
                try await client.getSymlink(bucket: Self.bucket, key: target)
            }
            #expect(notLink?.serviceCode == "NotSymlink")
            let overwrite = await #expect(throws: OSSClientError.self) {
                try await client.putSymlink(
                    OSSPutSymlinkRequest(
                        bucket: Self.bucket, key: "link", target: "other",
                        options: OSSObjectWriteOptions(forbidOverwrite: true)))
            }
            #expect(overwrite?.serviceCode == "FileAlreadyExists")
        }
    }
}
