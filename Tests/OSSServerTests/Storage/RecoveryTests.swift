import Foundation
import Testing

@testable import OSSServer

@Suite("Crash recovery and the data-directory lock", .sqliteOnly)
struct RecoveryTests {
    @Test("start-up removes temporary files and unreferenced blobs, and keeps everything else")
    func removesOrphans() async throws {
        try await withDataDirectory { directory in
            let bytes = testBytes(100_000)
            var kept: ObjectRecord
            var upload: MultipartUpload
            var part: PartRecord
            do {
                let storage = try await ObjectStorage.open(directory: directory, configuration: testConfiguration())
                _ = try await storage.createBucket("bkt", location: "oss-test")
                kept = try await put(storage, "k", bytes)
                upload = try await storage.initiateMultipartUpload(bucket: "bkt", key: "big")
                part = try await storage.uploadPart(
                    bucket: "bkt", key: "big", uploadID: upload.uploadID, partNumber: 1, body: TestBody(bytes))
            }
            // What a crash leaves: bodies half received, a blob renamed into place whose
            // transaction never committed, and a released blob not deleted yet.
            let fileManager = FileManager.default
            #expect(fileManager.createFile(atPath: directory + "/tmp/" + BlobID.random().rawValue, contents: Data([1, 2])))
            #expect(fileManager.createFile(atPath: directory + "/tmp/partial-upload", contents: Data()))
            let orphans = [BlobID.random(), BlobID.random()]
            for orphan in orphans {
                #expect(fileManager.createFile(atPath: blobPath(directory, orphan), contents: Data(testBytes(10))))
            }
            let foreign = "\(directory)/blobs/\(orphans[0].shard)/README"
            #expect(fileManager.createFile(atPath: foreign, contents: Data("not a blob".utf8)))

            let storage = try await reopenStorage(directory)
            #expect(storage.recovery == RecoveryReport(temporaryFilesRemoved: 2, orphanBlobsRemoved: 2, missingBlobs: []))
            #expect(try temporaryFiles(directory).isEmpty)
            for orphan in orphans { #expect(!fileManager.fileExists(atPath: blobPath(directory, orphan))) }
            #expect(fileManager.fileExists(atPath: foreign))
            #expect(try await read(storage, "k") == bytes)
            #expect(try await storage.objectInfo(bucket: "bkt", key: "k") == kept)
            let parts = try await storage.listParts(bucket: "bkt", key: "big", uploadID: upload.uploadID)
            #expect(parts.parts == [part])
            #expect(fileManager.fileExists(atPath: blobPath(directory, part.blob)))
        }
    }

    @Test("a crash mid-append leaves the object as it was, and the leftovers go at start-up")
    func interruptedAppend() async throws {
        try await withDataDirectory { directory in
            let first = testBytes(50_000, seed: 1)
            var before: ObjectRecord
            do {
                let storage = try await ObjectStorage.open(directory: directory, configuration: testConfiguration())
                _ = try await storage.createBucket("bkt", location: "oss-test")
                before = try await storage.appendObject(bucket: "bkt", key: "log", position: 0, body: TestBody(first))
                _ = try await storage.copyObject(
                    sourceBucket: "bkt", sourceKey: "log", destinationBucket: "bkt", destinationKey: "copy")
                // What an append leaves when the process dies at each step before its commit: a
                // body still being received, and a staged body renamed into place.
                _ = try await storage.stager.stage(TestBody(testBytes(1_000)), expecting: .none)
                let published = try await storage.stager.stage(TestBody(testBytes(2_000)), expecting: .none)
                try await published.writer?.publish()
            }
            let storage = try await reopenStorage(directory)
            #expect(storage.recovery == RecoveryReport(temporaryFilesRemoved: 1, orphanBlobsRemoved: 1, missingBlobs: []))
            #expect(try await storage.objectInfo(bucket: "bkt", key: "log") == before)
            #expect(try await read(storage, "log") == first)
            #expect(try await read(storage, "copy") == first)
            #expect(try blobFiles(directory).keys.sorted() == [before.segments[0].blob.rawValue])
            let second = testBytes(3_000, seed: 2)
            let after = try await storage.appendObject(bucket: "bkt", key: "log", position: first.count, body: TestBody(second))
            #expect(after.crc64 == referenceCRC(first + second))
        }
    }

    @Test("a blob lost from disk is reported, not hidden, and its reader fails")
    func missingBlob() async throws {
        try await withDataDirectory { directory in
            var record: ObjectRecord
            do {
                let storage = try await reopenStorage(directory, configuration: StorageConfiguration())
                _ = try await storage.createBucket("bkt", location: "oss-test")
                record = try await put(storage, "k", testBytes(10))
            }
            try FileManager.default.removeItem(atPath: blobPath(directory, record.segments[0].blob))
            let storage = try await reopenStorage(directory, configuration: StorageConfiguration())
            #expect(storage.recovery.missingBlobs == [record.segments[0].blob])
            await #expect(throws: StorageError.self) { try await read(storage, "k") }
        }
    }

    @Test("a second engine on the same data directory is refused while the first is open")
    func directoryLock() async throws {
        try await withDataDirectory { directory in
            do {
                let first = try await ObjectStorage.open(directory: directory)
                await #expect(throws: StorageError.dataDirectoryInUse(path: directory)) {
                    try await ObjectStorage.open(directory: directory)
                }
                _ = try await first.listBuckets()
            }
            _ = try await reopenStorage(directory, configuration: StorageConfiguration())
        }
    }
}
