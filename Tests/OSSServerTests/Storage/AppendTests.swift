import Foundation
import Testing

@testable import OSSServer

@Suite("AppendObject")
struct AppendTests {
    /// Appends `bytes` at `position` of `key` in `bkt`.
    @discardableResult
    private func append(
        _ storage: ObjectStorage, _ key: String, at position: Int, _ bytes: [UInt8],
        attributes: ObjectAttributes = ObjectAttributes(), expectations: WriteExpectations = .none
    ) async throws -> ObjectRecord {
        try await storage.appendObject(
            bucket: "bkt", key: key, position: position, body: TestBody(bytes, pieceSize: 5_000),
            attributes: attributes, expectations: expectations)
    }

    @Test("the §4.5 chain: each append's CRC-64 is the checksum of everything appended so far")
    func vector() async throws {
        try await withStorage { storage, _ in
            let line1 = Array("line1\n".utf8)
            let line2 = Array("line2\n".utf8)
            let first = try await append(storage, "log", at: 0, line1)
            #expect(first.crc64 == 17_856_904_023_843_314_350)
            #expect(first.crc64 == referenceCRC(line1))
            #expect(first.type == .appendable && first.size == 6)
            let second = try await append(storage, "log", at: 6, line2)
            #expect(second.crc64 == 1_038_713_013_172_538_275)
            #expect(second.crc64 == referenceCRC(line1 + line2))
            #expect(second.size == 12 && second.segments.count == 2)
            #expect(second.segments[0] == first.segments[0])
            #expect(try await storage.objectInfo(bucket: "bkt", key: "log") == second)
            #expect(try await read(storage, "log") == line1 + line2)
        }
    }

    @Test("a long chain of appends of mixed sizes reads back whole and in ranges, with its CRC-64")
    func longChain() async throws {
        try await withStorage { storage, _ in
            var expected: [UInt8] = []
            var record: ObjectRecord?
            for (index, size) in [1, 70_000, 0, 3, 131_072, 65_536, 999, 0, 200_001].enumerated() {
                let bytes = testBytes(size, seed: UInt64(index) + 1)
                record = try await append(storage, "k", at: expected.count, bytes)
                expected += bytes
                #expect(record?.crc64 == referenceCRC(expected))
                #expect(record?.size == expected.count)
            }
            // Empty appends add no segment.
            #expect(record?.segments.count == 7)
            #expect(try await read(storage, "k") == expected)
            for range in [0..<1, 1..<70_001, 69_990..<70_010, 70_000..<201_076, 400_000..<expected.count] {
                #expect(try await read(storage, "k", range: range) == Array(expected[range]))
            }
        }
    }

    @Test("the ETag is opaque: never an MD5, new after every non-empty append, a function of the bytes appended")
    func etags() async throws {
        try await withStorage { storage, _ in
            let (a, b) = (testBytes(100, seed: 1), testBytes(200, seed: 2))
            let empty = try await append(storage, "x", at: 0, [])
            let afterA = try await append(storage, "x", at: 0, a)
            let afterB = try await append(storage, "x", at: 100, b)
            let again = try await append(storage, "x", at: 300, [])
            #expect(Set([empty.etag, afterA.etag, afterB.etag]).count == 3)
            #expect(again.etag == afterB.etag && again == afterB)
            for etag in [empty.etag, afterA.etag, afterB.etag] {
                #expect(etag.hasPrefix("\"") && etag.hasSuffix("\"") && etag.contains("-"))
                #expect(etag != referenceETag(a) && etag != referenceETag(a + b))
            }
            #expect(afterB.contentMD5 == nil)
            // The same appends elsewhere give the same ETag; the same bytes in other pieces do not.
            try await append(storage, "y", at: 0, a)
            #expect(try await append(storage, "y", at: 100, b).etag == afterB.etag)
            try await append(storage, "z", at: 0, Array((a + b)[..<150]))
            #expect(try await append(storage, "z", at: 150, Array((a + b)[150...])).etag != afterB.etag)
        }
    }

    @Test("a wrong position is refused with the current length and CRC-64, and nothing changes")
    func wrongPosition() async throws {
        try await withStorage { storage, directory in
            let bytes = testBytes(1_000)
            await #expect(throws: StorageError.positionNotEqualToLength(bucket: "bkt", key: "k", length: 0, crc64: 0)) {
                try await append(storage, "k", at: 5, [1, 2, 3])
            }
            let stored = try await append(storage, "k", at: 0, bytes)
            for position in [0, 999, 1_001] {
                await #expect(
                    throws: StorageError.positionNotEqualToLength(
                        bucket: "bkt", key: "k", length: 1_000, crc64: referenceCRC(bytes))
                ) {
                    try await append(storage, "k", at: position, testBytes(10))
                }
            }
            #expect(try await storage.objectInfo(bucket: "bkt", key: "k") == stored)
            #expect(try blobFiles(directory).count == 1)
            #expect(try temporaryFiles(directory).isEmpty)
        }
    }

    @Test("Normal, Multipart and Symlink objects are not appendable")
    func notAppendable() async throws {
        try await withStorage { storage, _ in
            let normal = try await put(storage, "normal", testBytes(10))
            let upload = try await storage.initiateMultipartUpload(bucket: "bkt", key: "multi")
            _ = try await storage.uploadPart(
                bucket: "bkt", key: "multi", uploadID: upload.uploadID, partNumber: 1, body: TestBody(testBytes(10)))
            let multipart = try await storage.completeMultipartUpload(
                bucket: "bkt", key: "multi", uploadID: upload.uploadID, parts: .all)
            let link = try await storage.putSymlink(bucket: "bkt", key: "link", target: "normal")
            for record in [normal, multipart, link] {
                await #expect(
                    throws: StorageError.objectNotAppendable(bucket: "bkt", key: record.key, type: record.type)
                ) {
                    try await append(storage, record.key, at: record.size, [1])
                }
                #expect(try await storage.metadata.object(bucket: "bkt", key: record.key, versionID: nil) == record)
            }
            await #expect(throws: StorageError.noSuchBucket(bucket: "nope")) {
                try await storage.appendObject(bucket: "nope", key: "k", position: 0, body: TestBody([1]))
            }
        }
    }

    @Test("creation attributes apply on the first append only; PutObject replaces an appendable object")
    func attributesAndReplacement() async throws {
        try await withStorage { storage, directory in
            let created = ObjectAttributes(contentType: "text/plain", userMetadata: ["a": "1"], tags: ["t": "1"])
            try await append(storage, "k", at: 0, [1, 2], attributes: created)
            let later = try await append(storage, "k", at: 2, [3], attributes: ObjectAttributes(contentType: "x/y"))
            #expect(later.attributes == created)
            let replaced = try await put(storage, "k", [9])
            #expect(replaced.type == .normal && replaced.crc64 == referenceCRC([9]))
            #expect(try await eventually { try blobFiles(directory).keys.sorted() == [replaced.segments[0].blob.rawValue] })
            await #expect(throws: StorageError.objectNotAppendable(bucket: "bkt", key: "k", type: .normal)) {
                try await append(storage, "k", at: 1, [1])
            }
        }
    }

    @Test("an empty first append creates an empty appendable object, and position 0 still works on it")
    func emptyObject() async throws {
        try await withStorage { storage, directory in
            let empty = try await append(storage, "k", at: 0, [])
            #expect(empty.type == .appendable && empty.size == 0 && empty.crc64 == 0 && empty.segments.isEmpty)
            #expect(try await read(storage, "k") == [])
            let filled = try await append(storage, "k", at: 0, [7, 8])
            #expect(filled.crc64 == referenceCRC([7, 8]))
            #expect(try blobFiles(directory).count == 1)
            #expect(try temporaryFiles(directory).isEmpty)
        }
    }

    @Test("an expected whole-object CRC-64 is checked after the append, and a mismatch changes nothing")
    func expectedCRC() async throws {
        try await withStorage { storage, directory in
            let first = testBytes(80_000, seed: 1)
            let second = testBytes(90_000, seed: 2)
            let stored = try await append(
                storage, "k", at: 0, first, expectations: WriteExpectations(crc64: referenceCRC(first)))
            // The CRC-64 of the appended bytes alone is not what the header means on an append.
            await #expect(
                throws: StorageError.crcMismatch(expected: referenceCRC(second), actual: referenceCRC(first + second))
            ) {
                try await append(
                    storage, "k", at: first.count, second, expectations: WriteExpectations(crc64: referenceCRC(second)))
            }
            #expect(try await storage.objectInfo(bucket: "bkt", key: "k") == stored)
            #expect(try await eventually { try blobFiles(directory).count == 1 })
            #expect(try temporaryFiles(directory).isEmpty)
            let both = try await append(
                storage, "k", at: first.count, second,
                expectations: WriteExpectations(
                    contentMD5: referenceMD5(second), crc64: referenceCRC(first + second), contentLength: second.count))
            #expect(both.crc64 == referenceCRC(first + second))
        }
    }

    @Test("a failed body (throwing, wrong MD5, short) leaves the object unchanged and no files behind")
    func failedBodies() async throws {
        try await withStorage { storage, directory in
            let original = testBytes(30_000)
            let stored = try await append(storage, "k", at: 0, original)
            await #expect(throws: TestBodyError.connectionReset) {
                try await storage.appendObject(
                    bucket: "bkt", key: "k", position: original.count,
                    body: TestBody(testBytes(90_000)).failing(after: 4))
            }
            await #expect(throws: StorageError.invalidDigest(expected: referenceMD5([1]), actual: referenceMD5([2]))) {
                try await append(
                    storage, "k", at: original.count, [2], expectations: WriteExpectations(contentMD5: referenceMD5([1])))
            }
            await #expect(throws: StorageError.incompleteBody(expected: 100, received: 50)) {
                try await append(
                    storage, "k", at: original.count, testBytes(50), expectations: WriteExpectations(contentLength: 100))
            }
            #expect(try await storage.objectInfo(bucket: "bkt", key: "k") == stored)
            #expect(try await read(storage, "k") == original)
            #expect(try blobFiles(directory).count == 1)
            #expect(try temporaryFiles(directory).isEmpty)
        }
    }

    @Test("the total size is limited, counting what is already stored")
    func sizeLimit() async throws {
        try await withStorage(configuration: testConfiguration(maxObjectSize: 1_000)) { storage, directory in
            let stored = try await append(storage, "k", at: 0, testBytes(600))
            await #expect(throws: StorageError.entityTooLarge(size: 1_100, limit: 1_000)) {
                try await append(storage, "k", at: 600, testBytes(500))
            }
            await #expect(throws: StorageError.entityTooLarge(size: 1_600, limit: 1_000)) {
                try await append(storage, "k", at: 600, [], expectations: WriteExpectations(contentLength: 1_000))
            }
            #expect(try await storage.objectInfo(bucket: "bkt", key: "k") == stored)
            #expect(try blobFiles(directory).count == 1)
            #expect(try temporaryFiles(directory).isEmpty)
            #expect(try await append(storage, "k", at: 600, testBytes(400)).size == 1_000)
        }
    }

    @Test("of concurrent appends at one position exactly one wins; the losers learn the winner's length and CRC-64")
    func concurrentAppenders() async throws {
        try await withStorage { storage, directory in
            let line1 = Array("line1\n".utf8)
            try await append(storage, "log", at: 0, line1)
            let bodies = (0..<8).map { testBytes(40_000 + $0 * 1_000, seed: UInt64($0) + 10) }
            let outcomes = await withTaskGroup(of: (Int, Result<ObjectRecord, any Error>).self) { group in
                for (index, body) in bodies.enumerated() {
                    group.addTask {
                        do {
                            return (index, .success(try await append(storage, "log", at: line1.count, body)))
                        } catch {
                            return (index, .failure(error))
                        }
                    }
                }
                return await group.reduce(into: []) { $0.append($1) }
            }
            let winners = outcomes.compactMap { index, outcome in (try? outcome.get()).map { (index, $0) } }
            try #require(winners.count == 1)
            let (winner, record) = winners[0]
            let whole = line1 + bodies[winner]
            #expect(record.size == whole.count && record.crc64 == referenceCRC(whole))
            let lost = StorageError.positionNotEqualToLength(
                bucket: "bkt", key: "log", length: whole.count, crc64: referenceCRC(whole))
            for case (_, .failure(let error)) in outcomes {
                #expect(error as? StorageError == lost)
            }
            #expect(try await storage.objectInfo(bucket: "bkt", key: "log") == record)
            #expect(try await read(storage, "log") == whole)
            #expect(try await eventually { try blobFiles(directory).count == 2 })
            #expect(try temporaryFiles(directory).isEmpty)
        }
    }

    @Test("a sealed object takes no more appends, keeps its bytes and its first seal time")
    func seal() async throws {
        try await withStorage { storage, _ in
            let bytes = Array("sealed log\n".utf8)
            try await append(storage, "log", at: 0, bytes)
            await #expect(throws: StorageError.positionNotEqualToLength(bucket: "bkt", key: "log", length: 11, crc64: referenceCRC(bytes))) {
                try await storage.sealAppendObject(bucket: "bkt", key: "log", position: 3)
            }
            let sealed = try await storage.sealAppendObject(bucket: "bkt", key: "log", position: 11)
            let time = try #require(sealed.sealedTime)
            #expect(sealed.crc64 == referenceCRC(bytes) && sealed.size == 11 && sealed.type == .appendable)
            await #expect(throws: StorageError.objectSealed(bucket: "bkt", key: "log")) {
                try await append(storage, "log", at: 11, [1])
            }
            let again = try await storage.sealAppendObject(bucket: "bkt", key: "log", position: 11)
            #expect(again.sealedTime == time)
            #expect(try await read(storage, "log") == bytes)
            // A copy elsewhere is a Normal object, not sealed; the seal is stored, not remembered.
            let copied = try await storage.copyObject(
                sourceBucket: "bkt", sourceKey: "log", destinationBucket: "bkt", destinationKey: "copy").object
            #expect(copied.sealedTime == nil && copied.type == .normal)
            #expect(try await storage.objectInfo(bucket: "bkt", key: "log").sealedTime == time)

            try await put(storage, "plain", [1, 2])
            await #expect(throws: StorageError.objectNotAppendable(bucket: "bkt", key: "plain", type: .normal)) {
                try await storage.sealAppendObject(bucket: "bkt", key: "plain", position: 2)
            }
            await #expect(throws: StorageError.noSuchKey(bucket: "bkt", key: "none")) {
                try await storage.sealAppendObject(bucket: "bkt", key: "none", position: 0)
            }
        }
    }
}
