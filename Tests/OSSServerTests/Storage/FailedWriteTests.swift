import Foundation
import Testing

@testable import OSSServer

@Suite("Failed writes leave nothing visible and nothing on disk")
struct FailedWriteTests {
    /// Asserts that `key` is absent and that no blob or temporary file exists besides `kept`.
    private func expectNothingStored(_ storage: ObjectStorage, _ directory: String, key: String, kept: Int = 0)
        async throws
    {
        await #expect(throws: StorageError.noSuchKey(bucket: "bkt", key: key)) {
            try await storage.objectInfo(bucket: "bkt", key: key)
        }
        #expect(try blobFiles(directory).count == kept)
        #expect(try temporaryFiles(directory).isEmpty)
    }

    @Test("a Content-MD5 mismatch is invalidDigest")
    func badMD5() async throws {
        try await withStorage { storage, directory in
            let bytes = testBytes(200_000)
            let wrong = referenceMD5(testBytes(10))
            await #expect(throws: StorageError.invalidDigest(expected: wrong, actual: referenceMD5(bytes))) {
                try await storage.putObject(
                    bucket: "bkt", key: "k", body: TestBody(bytes), expectations: WriteExpectations(contentMD5: wrong))
            }
            try await expectNothingStored(storage, directory, key: "k")
        }
    }

    @Test("a matching Content-MD5 and CRC-64 are accepted")
    func goodExpectations() async throws {
        try await withStorage { storage, _ in
            let bytes = testBytes(200_000)
            let expectations = WriteExpectations(
                contentMD5: referenceMD5(bytes), crc64: referenceCRC(bytes), contentLength: bytes.count)
            let stored = try await storage.putObject(
                bucket: "bkt", key: "k", body: TestBody(bytes), expectations: expectations)
            #expect(stored.crc64 == referenceCRC(bytes))
        }
    }

    @Test("a client CRC-64 mismatch is crcMismatch with both values")
    func badCRC() async throws {
        try await withStorage { storage, directory in
            let bytes = testBytes(100_000)
            await #expect(throws: StorageError.crcMismatch(expected: 42, actual: referenceCRC(bytes))) {
                try await storage.putObject(
                    bucket: "bkt", key: "k", body: TestBody(bytes), expectations: WriteExpectations(crc64: 42))
            }
            try await expectNothingStored(storage, directory, key: "k")
        }
    }

    @Test("a body shorter or longer than its Content-Length is incompleteBody")
    func lengthMismatch() async throws {
        try await withStorage { storage, directory in
            await #expect(throws: StorageError.incompleteBody(expected: 1000, received: 600)) {
                try await storage.putObject(
                    bucket: "bkt", key: "k", body: TestBody(testBytes(600), pieceSize: 100),
                    expectations: WriteExpectations(contentLength: 1000))
            }
            await #expect(throws: StorageError.incompleteBody(expected: 1000, received: 1100)) {
                try await storage.putObject(
                    bucket: "bkt", key: "k", body: TestBody(testBytes(2000), pieceSize: 100),
                    expectations: WriteExpectations(contentLength: 1000))
            }
            try await expectNothingStored(storage, directory, key: "k")
        }
    }

    @Test("a body stream that throws propagates its error and stores nothing")
    func throwingBody() async throws {
        try await withStorage { storage, directory in
            let body = TestBody(testBytes(500_000)).failing(after: 40)
            await #expect(throws: TestBodyError.connectionReset) {
                try await storage.putObject(bucket: "bkt", key: "k", body: body)
            }
            try await expectNothingStored(storage, directory, key: "k")
        }
    }

    @Test("bodies over the size limit are entityTooLarge, declared or not")
    func tooLarge() async throws {
        try await withStorage(configuration: testConfiguration(maxObjectSize: 1000)) { storage, directory in
            await #expect(throws: StorageError.entityTooLarge(size: 1400, limit: 1000)) {
                try await storage.putObject(bucket: "bkt", key: "k", body: TestBody(testBytes(1500), pieceSize: 700))
            }
            // A declared length over the limit fails before a byte is read: this body would throw.
            await #expect(throws: StorageError.entityTooLarge(size: 2000, limit: 1000)) {
                try await storage.putObject(
                    bucket: "bkt", key: "k", body: TestBody([]).failing(after: 0),
                    expectations: WriteExpectations(contentLength: 2000))
            }
            try await expectNothingStored(storage, directory, key: "k")
            let exact = try await storage.putObject(bucket: "bkt", key: "k", body: TestBody(testBytes(1000)))
            #expect(exact.size == 1000)
        }
    }

    @Test("a failed overwrite leaves the previous version readable")
    func failedOverwrite() async throws {
        try await withStorage { storage, directory in
            let original = testBytes(70_000, seed: 5)
            try await put(storage, "k", original)
            await #expect(throws: StorageError.crcMismatch(expected: 1, actual: referenceCRC(testBytes(9)))) {
                try await storage.putObject(
                    bucket: "bkt", key: "k", body: TestBody(testBytes(9)), expectations: WriteExpectations(crc64: 1))
            }
            await #expect(throws: TestBodyError.connectionReset) {
                try await storage.putObject(bucket: "bkt", key: "k", body: TestBody(testBytes(90_000)).failing(after: 3))
            }
            #expect(try await read(storage, "k") == original)
            #expect(try blobFiles(directory).count == 1)
            #expect(try temporaryFiles(directory).isEmpty)
        }
    }
}
