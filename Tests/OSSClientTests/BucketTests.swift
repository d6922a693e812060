import OSSClient
import Testing

@Suite("Bucket operations against a real server")
struct BucketTests {
    @Test("Create, describe, locate, list and delete a bucket")
    func lifecycle() async throws {
        try await TestServer.run { server in
            let client = server.client
            try await client.createBucket(OSSCreateBucketRequest(bucket: "photos", acl: .publicRead, storageClass: .infrequentAccess))
            let info = try await client.getBucketInfo("photos")
            #expect(info.name == "photos")
            #expect(info.acl.rawValue == "public-read")
            #expect(info.storageClass.rawValue == "IA")
            #expect(try await client.getBucketLocation("photos") == "oss-cn-hangzhou")
            _ = try await client.putObject(OSSPutObjectRequest(bucket: "photos", key: "p", body: .bytes([1, 2, 3])))
            let stat = try await client.getBucketStat("photos")
            // Objects take their bucket's storage class (IA here), billed as at least 64 KiB.
            #expect(stat["ObjectCount"] == 1 && stat["InfrequentAccessRealStorage"] == 3)
            #expect(stat["InfrequentAccessStorage"] == 65_536 && stat["StandardStorage"] == 0)
            #expect(try await client.headObject(bucket: "photos", key: "p").storageClass == .infrequentAccess)
            try await client.deleteObject(bucket: "photos", key: "p")
            let names = try await client.listBuckets().buckets.map(\.name)
            #expect(names == ["bkt", "photos"])
            try await client.deleteBucket("photos")
            #expect(try await client.listBuckets().buckets.map(\.name) == ["bkt"])
        }
    }

    @Test("Service errors carry status, code, message and request id")
    func serviceErrors() async throws {
        try await TestServer.run { server in
            let error = await #expect(throws: OSSClientError.self) { try await server.client.getObject(bucket: "bkt", key: "nope") }
            let service = try #require(error?.serviceError, "expected a service error, got \(String(describing: error))")
            #expect(service.status == 404)
            #expect(service.code == "NoSuchKey")
            #expect(!service.message.isEmpty)
            #expect(service.requestID?.count == 24)
            // Creating a bucket one owns already is no error, as on OSS.
            try await server.client.createBucket("bkt")
            let missing = await #expect(throws: OSSClientError.self) { try await server.client.getBucketInfo("nope") }
            #expect(missing?.serviceCode == "NoSuchBucket")
        }
    }

    @Test("The bucket paginator walks every page")
    func paginator() async throws {
        try await TestServer.run { server in
            for name in ["b-1", "b-2", "b-3", "b-4"] { try await server.client.createBucket(name) }
            var pages = 0
            var names: [String] = []
            for try await page in server.client.listBucketsPages(OSSListBucketsRequest(maxKeys: 2)) {
                pages += 1
                names += page.buckets.map(\.name)
            }
            #expect(pages == 3)
            #expect(names == ["b-1", "b-2", "b-3", "b-4", "bkt"])
        }
    }

    @Test("A bucket with an object cannot be deleted")
    func notEmpty() async throws {
        try await TestServer.run { server in
            _ = try await server.client.putObject(
                OSSPutObjectRequest(bucket: TestServer.bucket, key: "k", body: .bytes([1, 2, 3])))
            let error = await #expect(throws: OSSClientError.self) { try await server.client.deleteBucket(TestServer.bucket) }
            #expect(error?.serviceCode == "BucketNotEmpty")
        }
    }
}
