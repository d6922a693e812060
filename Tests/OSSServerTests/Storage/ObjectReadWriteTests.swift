import Foundation
import OSSProtocol
import Testing

@testable import OSSServer

@Suite("Objects: put, get, ranges, overwrite, delete")
struct ObjectReadWriteTests {
    @Test("a put round-trips with CRC-64, MD5 and ETag matching independent references")
    func putGetRoundTrip() async throws {
        try await withStorage { storage, _ in
            let bytes = testBytes(3 * 1024 * 1024 + 12_345)
            let attributes = ObjectAttributes(
                contentType: "image/jpeg", userMetadata: ["author": "alice", "project": "swift-oss"],
                cacheControl: "no-cache", contentDisposition: "attachment", contentEncoding: "identity",
                expires: "Fri, 15 Mar 2024 08:30:00 GMT", storageClass: "IA", acl: .private, tags: ["env": "dev"])
            let stored = try await put(storage, "photos/cat.jpg", bytes, attributes: attributes)

            #expect(stored.size == bytes.count)
            #expect(stored.crc64 == referenceCRC(bytes))
            #expect(stored.etag == referenceETag(bytes))
            #expect(stored.contentMD5 == Data(referenceMD5(bytes)).base64EncodedString())
            #expect(stored.type == .normal)
            #expect(stored.attributes == attributes)
            #expect(try await storage.objectInfo(bucket: "bkt", key: "photos/cat.jpg") == stored)

            let opened = try await storage.openObject(bucket: "bkt", key: "photos/cat.jpg")
            #expect(opened.record == stored)
            #expect(try await collect(opened.body(), chunkLimit: 64 * 1024) == bytes)
        }
    }

    @Test("the §4.5 single-object vectors")
    func knownVectors() async throws {
        try await withStorage { storage, _ in
            let vectors: [(String, UInt64)] = [
                ("", 0), ("a", 3_675_645_893_302_102_789), ("123456789", 11_051_210_869_376_104_954),
                ("hello, oss", 11_726_769_516_912_404_153),
                ("The quick brown fox jumps over the lazy dog", 6_583_902_852_472_283_588),
            ]
            for (text, crc) in vectors {
                let stored = try await put(storage, "v/\(text.count)", Array(text.utf8))
                #expect(stored.crc64 == crc, "\(text)")
            }
            #expect(try await storage.objectInfo(bucket: "bkt", key: "v/0").etag == "\"D41D8CD98F00B204E9800998ECF8427E\"")
            #expect(try await read(storage, "v/0").isEmpty)
        }
    }

    @Test("ranged reads return exactly the requested bytes", arguments: [
        0..<1, 5..<100, 65_535..<65_537, 100_000..<200_001, 299_999..<300_000, 0..<300_000, 7..<7,
    ])
    func rangedRead(range: Range<Int>) async throws {
        try await withStorage { storage, _ in
            let bytes = testBytes(300_000)
            try await put(storage, "k", bytes)
            #expect(try await read(storage, "k", range: range) == Array(bytes[range]))
        }
    }

    @Test("a range outside the object is rejected")
    func rangeOutside() async throws {
        try await withStorage { storage, _ in
            try await put(storage, "k", testBytes(10))
            let opened = try await storage.openObject(bucket: "bkt", key: "k")
            #expect(throws: StorageError.invalidArgument("byte range 5..<11 is outside the object of 10 bytes")) {
                _ = try opened.body(range: 5..<11)
            }
        }
    }

    @Test("an overwrite swaps the object atomically and deletes the replaced blob")
    func overwrite() async throws {
        try await withStorage { storage, directory in
            let first = try await put(storage, "k", testBytes(100_000, seed: 1))
            let second = testBytes(50_000, seed: 2)
            let replaced = try await put(storage, "k", second)
            #expect(try await read(storage, "k") == second)
            #expect(try await storage.objectInfo(bucket: "bkt", key: "k") == replaced)
            #expect(try blobFiles(directory) == [replaced.segments[0].blob.rawValue: 50_000])
            #expect(!FileManager.default.fileExists(atPath: blobPath(directory, first.segments[0].blob)))
        }
    }

    @Test("a read that started keeps its bytes through an overwrite and a delete")
    func readerSnapshot() async throws {
        try await withStorage { storage, directory in
            let original = testBytes(200_000, seed: 3)
            let record = try await put(storage, "k", original)
            let opened = try await storage.openObject(bucket: "bkt", key: "k")
            try await put(storage, "k", testBytes(10, seed: 4))
            try await storage.deleteObject(bucket: "bkt", key: "k")
            let blob = blobPath(directory, record.segments[0].blob)
            #expect(FileManager.default.fileExists(atPath: blob))
            #expect(try await collect(opened.body()) == original)
            _ = consume opened
            #expect(try await eventually { !FileManager.default.fileExists(atPath: blob) })
        }
    }

    @Test("forbid-overwrite refuses an existing key and keeps it intact")
    func forbidOverwrite() async throws {
        try await withStorage { storage, directory in
            let original = testBytes(1000)
            let stored = try await put(storage, "k", original)
            await #expect(throws: StorageError.fileAlreadyExists(bucket: "bkt", key: "k")) {
                try await storage.putObject(bucket: "bkt", key: "k", body: TestBody(testBytes(5)), forbidOverwrite: true)
            }
            #expect(try await read(storage, "k") == original)
            #expect(try blobFiles(directory).keys.sorted() == [stored.segments[0].blob.rawValue])
            #expect(try temporaryFiles(directory).isEmpty)
            let fresh = try await storage.putObject(
                bucket: "bkt", key: "new", body: TestBody(original), forbidOverwrite: true)
            #expect(fresh.crc64 == referenceCRC(original))
        }
    }

    @Test("deletes: a missing key is fine, several keys go in one call, blobs go with them")
    func deletes() async throws {
        try await withStorage { storage, directory in
            try await storage.deleteObject(bucket: "bkt", key: "never-existed")
            for key in ["a", "b", "c"] { try await put(storage, key, testBytes(10)) }
            try await storage.deleteObjects(bucket: "bkt", keys: ["a", "c", "missing"])
            await #expect(throws: StorageError.noSuchKey(bucket: "bkt", key: "a")) {
                try await storage.objectInfo(bucket: "bkt", key: "a")
            }
            #expect(try await storage.listObjects(bucket: "bkt").objects.map(\.key) == ["b"])
            #expect(try blobFiles(directory).count == 1)
        }
    }

    @Test("missing buckets and keys are reported as such")
    func missing() async throws {
        try await withStorage { storage, _ in
            await #expect(throws: StorageError.noSuchBucket(bucket: "nope")) {
                try await storage.putObject(bucket: "nope", key: "k", body: TestBody([1, 2, 3]))
            }
            await #expect(throws: StorageError.noSuchBucket(bucket: "nope")) {
                try await storage.openObject(bucket: "nope", key: "k")
            }
            await #expect(throws: StorageError.noSuchKey(bucket: "bkt", key: "k")) {
                try await storage.openObject(bucket: "bkt", key: "k")
            }
            await #expect(throws: StorageError.noSuchBucket(bucket: "nope")) {
                try await storage.deleteObject(bucket: "nope", key: "k")
            }
        }
    }

    @Test("objects survive closing and reopening the data directory")
    func durableAcrossReopen() async throws {
        try await withDataDirectory { directory in
            let bytes = testBytes(150_000)
            do {
                let storage = try await openTestStorage(directory: directory, configuration: testConfiguration())
                _ = try await storage.createBucket("bkt", location: "oss-test")
                try await put(storage, "k", bytes)
            }
            let reopened = try await openTestStorage(directory: directory, configuration: testConfiguration())
            #expect(reopened.recovery == RecoveryReport(temporaryFilesRemoved: 0, orphanBlobsRemoved: 0, missingBlobs: []))
            #expect(try await read(reopened, "k") == bytes)
        }
    }
}
