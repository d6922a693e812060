import CRC64
import Foundation
import HTTPTypes
import NIOCore
import Testing

@testable import OSSServer

/// The storage engine with its blobs in a real SeaweedFS: the same rules as with files.
@Suite(
    "Object storage on an S3 blob store (SeaweedFS)", .serialized,
    .enabled(if: SeaweedFSServer.binary != nil, Comment(rawValue: SeaweedFSServer.missing)))
struct S3BlobStoreTests {
    /// A storage in a fresh data directory (metadata) whose blobs go to `client`'s bucket.
    static func withS3Storage(
        _ client: S3BlobClient, directory: String, _ body: (ObjectStorage) async throws -> Void
    ) async throws {
        let storage = try await ObjectStorage.open(
            directory: directory, configuration: testConfiguration(), blobStore: S3BlobStore(client: client))
        if try await storage.listBuckets().buckets.isEmpty { _ = try await storage.createBucket("bkt", location: "oss-test") }
        try await body(storage)
    }

    /// A fresh SeaweedFS, and a storage with bucket `bkt` whose blobs go there.
    static func withS3Storage(_ body: (ObjectStorage, S3BlobClient) async throws -> Void) async throws {
        try await withSeaweedFS { _, client in
            try await withDataDirectory { directory in
                try await withS3Storage(client, directory: directory) { (storage: ObjectStorage) async throws in
                    try await body(storage, client)
                }
            }
        }
    }

    /// Waits (up to 10 s) for released blobs to be deleted in the background.
    static func eventuallyGone(_ client: S3BlobClient, _ blob: BlobID) async throws -> Bool {
        for _ in 0..<100 {
            if try await client.size(of: S3BlobStore.key(blob)) == nil { return true }
            try await Task.sleep(for: .milliseconds(100))
        }
        return false
    }

    @Test("objects of one PUT and of several parts are stored, read back verified (whole and ranges) and deleted")
    func roundTrip() async throws {
        try await Self.withS3Storage { (storage: ObjectStorage, client: S3BlobClient) async throws in
            let small = testBytes(200_000, seed: 1)
            let large = testBytes(20 << 20 | 4_321, seed: 2)  // three parts of 8 MiB at most
            let smallRecord = try await put(storage, "small", small)
            let largeRecord = try await put(storage, "large", large)
            #expect(largeRecord.crc64 == referenceCRC(large))
            #expect(try await read(storage, "small") == small)
            #expect(try await read(storage, "large") == large)
            #expect(try await read(storage, "large", range: 8_388_000..<8_389_000) == Array(large[8_388_000..<8_389_000]))
            // The backend holds the blob with the CRC-64/NVME of exactly these bytes.
            let blob = largeRecord.segments[0].blob
            #expect(try await client.storedChecksum(of: S3BlobStore.key(blob)) == CRC64.nvme.checksum(large))
            #expect(try await client.size(of: S3BlobStore.key(smallRecord.segments[0].blob)) == small.count)
            try await storage.deleteObject(bucket: "bkt", key: "large")
            #expect(try await Self.eventuallyGone(client, blob), "a deleted object's blob leaves the backend")
            #expect(try await client.multipartUploads(prefix: "").isEmpty, "no upload is left open")
        }
    }

    @Test("a body that fails midway leaves nothing in the backend: no object, no open upload")
    func failedBodiesLeaveNothing() async throws {
        try await Self.withS3Storage { (storage: ObjectStorage, client: S3BlobClient) async throws in
            let bytes = testBytes(12 << 20, seed: 3)
            await #expect(throws: TestBodyError.connectionReset) {
                _ = try await storage.putObject(
                    bucket: "bkt", key: "k", body: TestBody(bytes, pieceSize: 1 << 20).failing(after: 10),
                    expectations: .none)
            }
            #expect(try await client.list(prefix: "").keys.isEmpty)
            #expect(try await client.multipartUploads(prefix: "").isEmpty)
        }
    }

    @Test("recovery aborts uploads left open and removes blobs no metadata refers to, and keeps the rest")
    func recovery() async throws {
        try await withSeaweedFS { _, client in
            try await withDataDirectory { directory in
                let kept = testBytes(100_000, seed: 4)
                var orphan: BlobID?
                try await Self.withS3Storage(client, directory: directory) { (storage: ObjectStorage) async throws in
                    _ = try await put(storage, "kept", kept)
                    // A process that died mid-upload (one part sent), and one that died after
                    // writing a blob but before its metadata transaction.
                    let open = try await storage.blobs.create()
                    try await open.write(ByteBuffer(bytes: testBytes(9 << 20, seed: 5)), at: 0, durable: false)
                    let written = try await storage.blobs.create()
                    try await written.write(ByteBuffer(bytes: testBytes(1_000, seed: 6)), at: 0, durable: true)
                    try await written.publish()
                    orphan = written.blob
                }
                #expect(try await client.multipartUploads(prefix: "").count == 1)
                let reopened = try await ObjectStorage.open(
                    directory: directory, configuration: testConfiguration(), blobStore: S3BlobStore(client: client))
                #expect(reopened.recovery == RecoveryReport(temporaryFilesRemoved: 1, orphanBlobsRemoved: 1, missingBlobs: []))
                #expect(try await client.multipartUploads(prefix: "").isEmpty)
                #expect(try await client.size(of: S3BlobStore.key(try #require(orphan))) == nil)
                #expect(try await read(reopened, "kept") == kept)
            }
        }
    }

    @Test("a blob reader streams consecutive reads through one GET and starts another where a read jumps")
    func readerFollowsAndJumps() async throws {
        try await withSeaweedFS { _, client in
            let store = S3BlobStore(client: client)
            let bytes = testBytes(3_000_000, seed: 11)
            let writer = try await store.create()
            try await writer.write(ByteBuffer(bytes: bytes), at: 0, durable: true)
            try await writer.publish()
            let reader = try await store.open(writer.blob)
            var offset = 0
            for count in [100, 1 << 20, 5, 1_500_000] {
                #expect(Array(try await reader.read(count: count, at: offset).readableBytesView) == Array(bytes[offset..<(offset + count)]))
                offset += count
            }
            #expect(Array(try await reader.read(count: 1_000, at: 50).readableBytesView) == Array(bytes[50..<1_050]), "a jump back")
            #expect(try await reader.read(count: 1_000_000, at: 2_999_000).readableBytes == 1_000, "fewer bytes at the end")
            #expect(try await reader.read(count: 10, at: 3_000_000).readableBytes == 0, "none past the end")
        }
    }

    @Test("SeaweedFS killed and started again: writes answer 503 meanwhile, then resume, and what was written before reads back whole")
    func backendRestart() async throws {
        try await withSeaweedFS { server, client in
            try await withDataDirectory { directory in
                try await Self.withS3Storage(client, directory: directory) { (storage: ObjectStorage) async throws in
                    let before = (0..<4).map { testBytes(200_000 + $0, seed: UInt64($0)) }
                    for (index, bytes) in before.enumerated() { try await put(storage, "before\(index)", bytes) }
                    server.kill()
                    await expectUnavailable("a write") { try await put(storage, "during", testBytes(200_000, seed: 9)) }
                    #expect(await AdminRouter(storage: storage, token: nil).readiness().status == .serviceUnavailable)
                    try server.start()
                    let after = testBytes(300_000, seed: 10)
                    // A liveness bound: SeaweedFS takes a few seconds to serve again.
                    #expect(try await putOnceBack(storage, "after", after, attempts: 240, pause: .milliseconds(250)))
                    #expect(await AdminRouter(storage: storage, token: nil).readiness().status == .ok)
                    #expect(try await read(storage, "after") == after)
                    for (index, bytes) in before.enumerated() { #expect(try await read(storage, "before\(index)") == bytes) }
                }
            }
        }
    }

    @Test("bytes replaced in the backend behind the server's back are caught on read, never served")
    func tamperingIsCaught() async throws {
        try await Self.withS3Storage { (storage: ObjectStorage, client: S3BlobClient) async throws in
            let bytes = testBytes(300_000, seed: 7)
            let record = try await put(storage, "k", bytes)
            var other = bytes
            other[150_000] ^= 0x01
            // Someone with access to the backend writes other bytes under the blob's name.
            try await client.put(
                S3BlobStore.key(record.segments[0].blob), body: .bytes(ByteBuffer(bytes: other)), length: other.count,
                crc64nvme: CRC64.nvme.checksum(other))
            let before = storage.damage.damagedReads
            await #expect(throws: StorageError.self) { _ = try await read(storage, "k") }
            #expect(storage.damage.damagedReads == before + 1)
        }
    }

    @Test("the scrubber checks blobs in the backend too: one replaced and one deleted behind the server's back are marked")
    func scrubbingTheBackend() async throws {
        try await Self.withS3Storage { (storage: ObjectStorage, client: S3BlobClient) async throws in
            let bytes = testBytes(300_000, seed: 9)
            let replaced = try await put(storage, "replaced", bytes)
            let deleted = try await put(storage, "deleted", bytes)
            try await put(storage, "whole", bytes)
            var other = bytes
            other[123] ^= 0x01
            try await client.put(
                S3BlobStore.key(replaced.segments[0].blob), body: .bytes(ByteBuffer(bytes: other)), length: other.count,
                crc64nvme: CRC64.nvme.checksum(other))
            try await client.delete(S3BlobStore.key(deleted.segments[0].blob))
            let report = try await storage.scrub()
            #expect(report.finished && report.blobs == 3)
            #expect(Set(report.damaged.map(\.key)) == ["replaced", "deleted"])
            #expect(report.damaged.first { $0.key == "deleted" }?.reason.contains("missing") == true)
            #expect(try await read(storage, "whole") == bytes)
        }
    }
}
