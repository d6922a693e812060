import Foundation
import OSSProtocol
import Testing

@testable import OSSServer

@Suite("Object tags and ACLs")
struct TaggingAndACLTests {
    @Test("tags round-trip without touching bytes, ETag or Last-Modified")
    func tagsRoundTrip() async throws {
        try await withStorage { storage, _ in
            let stored = try await put(storage, "k", testBytes(1_000), attributes: ObjectAttributes(tags: ["a": "1"]))
            #expect(try await storage.objectTags(bucket: "bkt", key: "k").attributes.tags == ["a": "1"])
            let tags = ["env": "dev", "team": "storage/io", "note": "a b+c=d.e_f:g", "中文": "値"]
            let tagged = try await storage.putObjectTags(bucket: "bkt", key: "k", tags: tags)
            #expect(tagged.attributes.tags == tags)
            #expect(tagged.etag == stored.etag && tagged.lastModified == stored.lastModified)
            #expect(tagged.segments == stored.segments && tagged.crc64 == stored.crc64)
            #expect(try await storage.objectTags(bucket: "bkt", key: "k").attributes.tags == tags)
            try await storage.deleteObjectTags(bucket: "bkt", key: "k")
            #expect(try await storage.objectTags(bucket: "bkt", key: "k").attributes.tags == [:])
            #expect(try await storage.objectInfo(bucket: "bkt", key: "k").lastModified == stored.lastModified)
            await #expect(throws: StorageError.noSuchKey(bucket: "bkt", key: "none")) {
                try await storage.putObjectTags(bucket: "bkt", key: "none", tags: ["a": "b"])
            }
        }
    }

    @Test("tag limits: 10 tags, keys of 128 and values of 256 characters; letters, digits, space and + - = . _ : /")
    func tagLimits() async throws {
        try await withStorage { storage, directory in
            _ = try await put(storage, "k", [1])
            let ten = Dictionary(uniqueKeysWithValues: (0..<10).map { ("k\($0)", "v\($0)") })
            let longest = [String(repeating: "k", count: 128): String(repeating: "v", count: 256)]
            for accepted in [ten, longest, ["empty-value": ""]] {
                let tagged = try await storage.putObjectTags(bucket: "bkt", key: "k", tags: accepted)
                #expect(tagged.attributes.tags == accepted)
            }
            let refused: [[String: String]] = [
                ten.merging(["k10": "v"]) { $1 },
                [String(repeating: "k", count: 129): "v"],
                ["k": String(repeating: "v", count: 257)],
                ["": "v"],
                ["semi;colon": "v"],
                ["k": "a&b"],
            ]
            for tags in refused {
                let attributes = ObjectAttributes(tags: tags)
                // Every write that sets tags applies the same rules, and stores nothing when they fail.
                let errors = [
                    await #expect(throws: StorageError.self) {
                        try await storage.putObjectTags(bucket: "bkt", key: "k", tags: tags)
                    },
                    await #expect(throws: StorageError.self) {
                        try await put(storage, "other", [1], attributes: attributes)
                    },
                    await #expect(throws: StorageError.self) {
                        try await storage.appendObject(
                            bucket: "bkt", key: "other", position: 0, body: TestBody([1]), attributes: attributes)
                    },
                    await #expect(throws: StorageError.self) {
                        try await storage.initiateMultipartUpload(bucket: "bkt", key: "other", attributes: attributes)
                    },
                    await #expect(throws: StorageError.self) {
                        try await storage.putSymlink(bucket: "bkt", key: "other", target: "k", attributes: attributes)
                    },
                    await #expect(throws: StorageError.self) {
                        try await storage.copyObject(
                            sourceBucket: "bkt", sourceKey: "k", destinationBucket: "bkt", destinationKey: "other",
                            taggingDirective: .replace(tags))
                    },
                ]
                #expect(errors.allSatisfy(isInvalidArgument), "\(tags): \(errors)")
            }
            #expect(try await storage.objectTags(bucket: "bkt", key: "k").attributes.tags == ["empty-value": ""])
            await #expect(throws: StorageError.noSuchKey(bucket: "bkt", key: "other")) {
                try await storage.objectInfo(bucket: "bkt", key: "other")
            }
            #expect(try await storage.listMultipartUploads(bucket: "bkt").uploads.isEmpty)
            #expect(try blobFiles(directory).count == 1)
            #expect(try temporaryFiles(directory).isEmpty)
        }
    }

    @Test("object ACL round trips, default until set, without touching Last-Modified")
    func objectACL() async throws {
        try await withStorage { storage, _ in
            let stored = try await put(storage, "k", [1])
            #expect(try await storage.objectACL(bucket: "bkt", key: "k").attributes.acl == .default)
            for acl in OSSObjectACL.allCases.reversed() {
                let updated = try await storage.putObjectACL(bucket: "bkt", key: "k", acl: acl)
                #expect(updated.attributes.acl == acl && updated.lastModified == stored.lastModified)
                #expect(try await storage.objectACL(bucket: "bkt", key: "k").attributes.acl == acl)
            }
            #expect(OSSObjectACL.allCases.map(\.rawValue) == ["default", "private", "public-read", "public-read-write"])
            await #expect(throws: StorageError.noSuchKey(bucket: "bkt", key: "none")) {
                try await storage.objectACL(bucket: "bkt", key: "none")
            }
        }
    }

    @Test("bucket ACL round trips and survives a restart")
    func bucketACL() async throws {
        try await withDataDirectory { directory in
            do {
                let storage = try await openTestStorage(directory: directory, configuration: StorageConfiguration())
                _ = try await storage.createBucket("bkt", location: "oss-test")
                #expect(try await storage.bucketACL("bkt") == .private)
                for acl in OSSBucketACL.allCases.reversed() {
                    #expect(try await storage.putBucketACL("bkt", acl: acl).acl == acl)
                    #expect(try await storage.bucketACL("bkt") == acl)
                }
                await #expect(throws: StorageError.noSuchBucket(bucket: "none")) {
                    try await storage.putBucketACL("none", acl: .publicRead)
                }
            }
            let storage = try await openTestStorage(directory: directory, configuration: StorageConfiguration())
            #expect(try await storage.bucketACL("bkt") == .private)
            #expect(try await storage.bucket("bkt").acl == .private)
        }
    }
}
