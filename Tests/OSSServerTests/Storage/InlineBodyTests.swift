import Foundation
import GRDB
import NIOCore
import Testing

@testable import OSSServer

/// Small bodies kept in the metadata: no blob file, the same checks on the way in and out.
@Suite("Inline bodies")
struct InlineBodyTests {
    static func putDeclared(_ storage: ObjectStorage, _ key: String, _ bytes: [UInt8]) async throws -> ObjectRecord {
        try await storage.putObject(
            bucket: "bkt", key: key, body: TestBody(bytes), expectations: WriteExpectations(contentLength: bytes.count))
    }

    @Test("a small declared body is kept in its metadata row: no file, same CRC, ETag and bytes; copies carry it")
    func smallBodiesLiveInTheMetadata() async throws {
        try await withStorage { storage, directory in
            let bytes = testBytes(64 * 1024)
            let stored = try await Self.putDeclared(storage, "small", bytes)
            #expect(stored.crc64 == referenceCRC(bytes) && stored.etag == referenceETag(bytes))
            #expect(try blobFiles(directory).isEmpty, "no blob file for an inline body")
            #expect(try await read(storage, "small") == bytes)
            #expect(try await read(storage, "small", range: 1000..<1010) == Array(bytes[1000..<1010]))
            _ = try await storage.copyObject(sourceBucket: "bkt", sourceKey: "small", destinationBucket: "bkt", destinationKey: "copy")
            try await storage.deleteObject(bucket: "bkt", key: "small")
            #expect(try await read(storage, "copy") == bytes, "the copy keeps its bytes after the source is gone")
            #expect(try temporaryFiles(directory).isEmpty && blobFiles(directory).isEmpty)
            // An empty body is inline too.
            #expect(try await Self.putDeclared(storage, "empty", []).size == 0)
            #expect(try await read(storage, "empty") == [])
        }
    }

    @Test("a body over the limit, or of undeclared length, goes to a blob file")
    func largerOrUndeclaredBodiesUseFiles() async throws {
        try await withStorage { storage, directory in
            _ = try await Self.putDeclared(storage, "large", testBytes(64 * 1024 + 1))
            #expect(try blobFiles(directory).count == 1)
            _ = try await put(storage, "undeclared", testBytes(10))
            #expect(try blobFiles(directory).count == 2)
        }
    }

    @Test("the checks of a write hold for inline bodies: a short body, a wrong MD5 or CRC store nothing")
    func inlineWritesAreChecked() async throws {
        try await withStorage { storage, _ in
            let bytes = testBytes(100)
            await #expect(throws: StorageError.incompleteBody(expected: 101, received: 100)) {
                _ = try await storage.putObject(
                    bucket: "bkt", key: "k", body: TestBody(bytes), expectations: WriteExpectations(contentLength: 101))
            }
            await #expect(throws: StorageError.self) {
                _ = try await storage.putObject(
                    bucket: "bkt", key: "k", body: TestBody(bytes),
                    expectations: WriteExpectations(contentMD5: Array(repeating: 0, count: 16), contentLength: 100))
            }
            await #expect(throws: StorageError.crcMismatch(expected: 1, actual: referenceCRC(bytes))) {
                _ = try await storage.putObject(
                    bucket: "bkt", key: "k", body: TestBody(bytes), expectations: WriteExpectations(crc64: 1, contentLength: 100))
            }
            await #expect(throws: StorageError.noSuchKey(bucket: "bkt", key: "k")) { _ = try await storage.objectInfo(bucket: "bkt", key: "k") }
        }
    }

    @Test("bytes altered in the database are caught before any is sent, and counted as damage", .sqliteOnly)
    func alteredInlineBytesAreCaught() async throws {
        try await withStorage { storage, _ in
            let bytes = testBytes(5000)
            _ = try await Self.putDeclared(storage, "rot", bytes)
            let store = try #require(storage.metadata as? SQLiteMetadataStore)
            try await store.pool.write { db in
                var altered = bytes
                altered[4321] ^= 0x01
                try db.execute(sql: "UPDATE segments SET data = ?", arguments: [Data(altered)])
            }
            let before = storage.damage.damagedReads
            await #expect(throws: StorageError.self) { _ = try await read(storage, "rot") }
            await #expect(throws: StorageError.self) { _ = try await read(storage, "rot", range: 0..<10) }
            #expect(storage.damage.damagedReads == before + 2)
        }
    }

    @Test("HEAD reads the record without its segments (no inline bytes), through a symlink too, and reports the same object")
    func headSnapshotsCarryNoSegments() async throws {
        try await withStorage { storage, _ in
            let bytes = testBytes(4096)
            _ = try await Self.putDeclared(storage, "small", bytes)
            _ = try await put(storage, "file", testBytes(70_000))
            _ = try await storage.putSymlink(bucket: "bkt", key: "link", target: "small")
            for key in ["small", "file", "link"] {
                let full = try await storage.openObject(bucket: "bkt", key: key)
                let head = try await storage.openObject(bucket: "bkt", key: key, readingBytes: false)
                #expect(!full.record.segments.isEmpty, "\(key): a GET snapshot has its segments")
                #expect(head.record.segments.isEmpty, "\(key): a HEAD snapshot has none")
                var withoutSegments = full.record
                withoutSegments.segments = []
                #expect(head.record == withoutSegments, "\(key): everything HEAD reports is the same")
                #expect(head.symlink?.key == full.symlink?.key)
            }
            let (link, target) = try await storage.metadata.objectAndSymlinkTarget(
                bucket: "bkt", key: "link", versionID: nil, withSegments: false)
            #expect(link.type == .symlink && target?.key == "small" && target?.segments == [])
            #expect(target?.crc64 == referenceCRC(bytes) && target?.size == 4096)
        }
    }
}
