import Foundation
import OSSClient
import OSSProtocol
import Testing

/// The versioning paths Alibaba's Swift SDK v2 sends (PutBucketVersioning's document, `versionId`
/// on GET, HEAD and DELETE, version ids in DeleteMultipleObjects and in `x-oss-copy-source`,
/// ListObjectVersions with `encoding-type=url`) and the headers it reads back
/// (`x-oss-version-id`, `x-oss-delete-marker`, `x-oss-copy-source-version-id`), through this SDK.
@Suite("Versioning against a real server")
struct VersioningTests {
    static let bucket = TestServer.bucket

    @Test("versions keep their own bytes and CRC-64; a delete marker hides them until it is removed")
    func versionsAndMarkers() async throws {
        try await TestServer.run { server in
            let client = server.client
            #expect(try await client.getBucketVersioning(Self.bucket) == nil)
            try await client.putBucketVersioning(Self.bucket, status: .enabled)
            #expect(try await client.getBucketVersioning(Self.bucket) == .enabled)
            #expect(try await client.getBucketInfo(Self.bucket).versioning == "Enabled")

            let old = TestBytes.random(count: 300_000, seed: 1)
            let new = TestBytes.random(count: 1000, seed: 2)
            let first = try await client.putObject(OSSPutObjectRequest(bucket: Self.bucket, key: "k", body: .bytes(old)))
            let second = try await client.putObject(OSSPutObjectRequest(bucket: Self.bucket, key: "k", body: .bytes(new)))
            let firstID = try #require(first.versionID)
            #expect(second.versionID != nil && second.versionID != firstID)

            let read = try await client.getObject(OSSGetObjectRequest(bucket: Self.bucket, key: "k", versionID: firstID))
            #expect(read.body == old && read.metadata.versionID == firstID)
            #expect(read.crcVerification == .verified(TestBytes.crc(old)))
            let head = try await client.headObject(OSSHeadObjectRequest(bucket: Self.bucket, key: "k", versionID: firstID))
            #expect(head.crc64 == TestBytes.crc(old) && head.contentLength == 300_000)
            #expect(try await client.headObject(bucket: Self.bucket, key: "k").versionID == second.versionID)

            let deleted = try await client.deleteObject(bucket: Self.bucket, key: "k")
            let markerID = try #require(deleted.versionID)
            #expect(deleted.deleteMarker)
            let missing = await #expect(throws: OSSClientError.self) {
                try await client.getObject(bucket: Self.bucket, key: "k")
            }
            #expect(missing?.serviceError?.code == "NoSuchKey")
            let marker = await #expect(throws: OSSClientError.self) {
                try await client.headObject(OSSHeadObjectRequest(bucket: Self.bucket, key: "k", versionID: markerID))
            }
            #expect(marker?.serviceError?.status == 405)

            let listing = try await client.listObjectVersions(OSSListObjectVersionsRequest(bucket: Self.bucket))
            #expect(listing.deleteMarkers.map(\.versionID) == [markerID])
            #expect(listing.versions.map(\.versionID) == [second.versionID, firstID])
            #expect(listing.entries.map(\.key) == ["k", "k", "k"])

            let removed = try await client.deleteObject(bucket: Self.bucket, key: "k", versionID: markerID)
            #expect(removed.deleteMarker && removed.versionID == markerID)
            #expect(try await client.getObject(bucket: Self.bucket, key: "k").body == new)
        }
    }

    @Test("DeleteMultipleObjects by version, copies of a version, and paging through versions")
    func batchesCopiesAndPages() async throws {
        try await TestServer.run { server in
            let client = server.client
            try await client.putBucketVersioning(Self.bucket, status: .enabled)
            var ids: [String] = []
            for index in 0..<7 {
                let bytes = TestBytes.random(count: 100 + index, seed: UInt64(index))
                ids.append(try #require(try await client.putObject(
                    OSSPutObjectRequest(bucket: Self.bucket, key: "dir/k", body: .bytes(bytes))).versionID))
            }
            let copy = try await client.copyObject(
                OSSCopyObjectRequest(
                    sourceBucket: Self.bucket, sourceKey: "dir/k", bucket: Self.bucket, key: "copy", sourceVersionID: ids[0]))
            #expect(copy.sourceVersionID == ids[0] && copy.versionID != nil)
            #expect(copy.crcVerification == .verified(TestBytes.crc(TestBytes.random(count: 100, seed: 0))))

            var pages: [[String]] = []
            for try await page in client.listObjectVersionsPages(OSSListObjectVersionsRequest(bucket: Self.bucket, prefix: "dir/", maxKeys: 3)) {
                pages.append(page.versions.compactMap(\.versionID))
            }
            #expect(pages.map(\.count) == [3, 3, 1])
            #expect(pages.flatMap { $0 } == ids.reversed())

            let result = try await client.deleteObjects(
                bucket: Self.bucket,
                objects: [OSSDeleteRequest.Object(key: "dir/k", versionID: ids[1]), OSSDeleteRequest.Object(key: "copy")])
            let byKey = Dictionary(uniqueKeysWithValues: result.deleted.map { ($0.key, $0) })
            #expect(byKey["dir/k"]?.versionID == ids[1] && byKey["dir/k"]?.deleteMarker == false)
            #expect(byKey["copy"]?.deleteMarker == true && byKey["copy"]?.deleteMarkerVersionID != nil)
            let remaining = try await client.listObjectVersions(OSSListObjectVersionsRequest(bucket: Self.bucket, prefix: "dir/"))
            #expect(remaining.versions.compactMap(\.versionID) == ids.reversed().filter { $0 != ids[1] })
        }
    }
}
