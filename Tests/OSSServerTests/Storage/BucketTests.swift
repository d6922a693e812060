import Foundation
import OSSProtocol
import Testing

@testable import OSSServer

@Suite("Buckets: create, get, list, delete rules")
struct BucketTests {
    @Test("a created bucket reads back with its settings")
    func createAndGet() async throws {
        try await withDataDirectory { directory in
            let storage = try await openTestStorage(directory: directory, configuration: StorageConfiguration())
            let before = Date().addingTimeInterval(-1)
            let created = try await storage.createBucket(
                "photos", acl: .publicRead, storageClass: "IA", location: "oss-cn-hangzhou")
            #expect(try await storage.bucket("photos") == created)
            #expect(created.acl == .publicRead && created.storageClass == "IA")
            #expect(created.location == "oss-cn-hangzhou")
            #expect(created.creationDate > before && created.creationDate <= Date())
            await #expect(throws: StorageError.bucketAlreadyExists(bucket: "photos")) {
                try await storage.createBucket("photos", location: "oss-cn-hangzhou")
            }
            await #expect(throws: StorageError.noSuchBucket(bucket: "other")) { try await storage.bucket("other") }
        }
    }

    @Test("listing pages through many buckets with prefix, marker and max-keys")
    func listing() async throws {
        try await withDataDirectory { directory in
            let storage = try await openTestStorage(directory: directory, configuration: StorageConfiguration())
            let names = (0..<150).map { String(format: "bucket-%03d", $0) }
            for name in names.shuffled() { _ = try await storage.createBucket(name, location: "oss-test") }
            _ = try await storage.createBucket("other", location: "oss-test")

            let all = try await storage.listBuckets(BucketListQuery(maxKeys: 1000))
            #expect(all.buckets.map(\.name) == names + ["other"])

            var seen: [String] = []
            var marker: String?
            repeat {
                let page = try await storage.listBuckets(BucketListQuery(prefix: "bucket-", marker: marker, maxKeys: 100))
                seen += page.buckets.map(\.name)
                marker = page.nextMarker
                #expect(page.isTruncated == (marker != nil))
            } while marker != nil
            #expect(seen == names)

            let afterMarker = try await storage.listBuckets(BucketListQuery(marker: "bucket-148"))
            #expect(afterMarker.buckets.map(\.name) == ["bucket-149", "other"])
        }
    }

    @Test("a bucket with objects or unfinished uploads cannot be deleted")
    func deleteRules() async throws {
        try await withStorage { storage, _ in
            try await put(storage, "k", [1])
            await #expect(throws: StorageError.bucketNotEmpty(bucket: "bkt")) { try await storage.deleteBucket("bkt") }
            try await storage.deleteObject(bucket: "bkt", key: "k")

            let upload = try await storage.initiateMultipartUpload(bucket: "bkt", key: "big")
            await #expect(throws: StorageError.bucketNotEmpty(bucket: "bkt")) { try await storage.deleteBucket("bkt") }
            try await storage.abortMultipartUpload(bucket: "bkt", key: "big", uploadID: upload.uploadID)

            try await storage.deleteBucket("bkt")
            await #expect(throws: StorageError.noSuchBucket(bucket: "bkt")) { try await storage.bucket("bkt") }
            await #expect(throws: StorageError.noSuchBucket(bucket: "bkt")) { try await storage.deleteBucket("bkt") }
        }
    }
}
