import Foundation
import Testing

@testable import OSSServer

@Suite("Reads verify every block they touch before returning any of its bytes")
struct BitRotTests {
    /// Reads until the body throws; returns how many bytes arrived before the error.
    private func bytesBeforeFailure(_ body: ObjectBody) async -> (received: Int, error: (any Error)?) {
        var received = 0
        do {
            for try await chunk in body { received += chunk.readableBytes }
        } catch {
            return (received, error)
        }
        return (received, nil)
    }

    private func isCorruption(_ error: (any Error)?) -> Bool {
        if case .corruptObject(bucket: "bkt", key: _, reason: _)? = error as? StorageError { return true }
        return false
    }

    @Test("a flipped byte fails a whole-object read before any byte of its block is delivered")
    func flippedByte() async throws {
        try await withStorage { storage, directory in
            let bytes = testBytes(300_000)
            let record = try await put(storage, "k", bytes)
            try flipByte(at: 123_456, ofFile: blobPath(directory, record.segments[0].blob))

            let opened = try await storage.openObject(bucket: "bkt", key: "k")
            let (received, error) = await bytesBeforeFailure(try opened.body())
            #expect(isCorruption(error))
            // Blocks are 64 KiB: only block 0 precedes the damaged block 1.
            #expect(received == 65_536)
        }
    }

    @Test("a corrupt part of a multipart object fails as soon as that part is read")
    func corruptPart() async throws {
        try await withStorage { storage, directory in
            let upload = try await storage.initiateMultipartUpload(bucket: "bkt", key: "k")
            var parts: [CompletedPart] = []
            var blobs: [BlobID] = []
            for number in 1...3 {
                let part = try await storage.uploadPart(
                    bucket: "bkt", key: "k", uploadID: upload.uploadID, partNumber: number,
                    body: TestBody(testBytes(102_400, seed: UInt64(number))))
                parts.append(CompletedPart(partNumber: number, etag: part.etag))
                blobs.append(part.blob)
            }
            _ = try await storage.completeMultipartUpload(
                bucket: "bkt", key: "k", uploadID: upload.uploadID, parts: .listed(parts))
            try flipByte(at: 0, ofFile: blobPath(directory, blobs[0]))

            let opened = try await storage.openObject(bucket: "bkt", key: "k")
            let (received, error) = await bytesBeforeFailure(try opened.body())
            #expect(isCorruption(error))
            #expect(received < 102_400)
        }
    }

    @Test("a range over a damaged block fails before its first byte; ranges elsewhere are served; unverified reads pass bytes through")
    func rangedReads() async throws {
        try await withStorage { storage, directory in
            let bytes = testBytes(300_000)
            let record = try await put(storage, "k", bytes)
            try flipByte(at: 200_000, ofFile: blobPath(directory, record.segments[0].blob))  // block 3
            let opened = try await storage.openObject(bucket: "bkt", key: "k")
            #expect(try await collect(opened.body(range: 0..<4_000)) == Array(bytes[0..<4_000]))
            #expect(try await collect(opened.body(range: 262_144..<300_000)) == Array(bytes[262_144..<300_000]))
            let inside = await bytesBeforeFailure(try opened.body(range: 199_999..<200_001))
            #expect(isCorruption(inside.error))
            #expect(inside.received == 0)
            // A range that starts in good blocks delivers them, and nothing of block 3.
            let across = await bytesBeforeFailure(try opened.body(range: 150_000..<250_000))
            #expect(isCorruption(across.error))
            #expect(across.received == 196_608 - 150_000)
            let raw = try await collect(opened.body(verify: false))
            #expect(raw.count == bytes.count && raw != bytes)
            #expect(storage.damage.damagedReads == 2)
        }
    }

    @Test("a small object (one block) with a flipped byte fails before its first byte")
    func smallObject() async throws {
        try await withStorage { storage, directory in
            let record = try await put(storage, "k", testBytes(10_000))
            #expect(record.segments[0].blocks == nil)
            try flipByte(at: 9_999, ofFile: blobPath(directory, record.segments[0].blob))
            let opened = try await storage.openObject(bucket: "bkt", key: "k")
            let (received, error) = await bytesBeforeFailure(try opened.body(range: 0..<10))
            #expect(isCorruption(error))
            #expect(received == 0)
        }
    }

    /// Blobs written before block CRCs existed (or with blocks larger than a read buffers) are one
    /// block of any size: the whole blob is checked before its first byte goes out.
    @Test("a segment stored as one large block is verified whole before any of its bytes is returned")
    func largeSingleBlock() async throws {
        var configuration = testConfiguration()
        configuration.blockSize = 8 << 20
        try await withStorage(configuration: configuration) { storage, directory in
            let bytes = testBytes(3 << 20)
            let record = try await put(storage, "k", bytes)
            #expect(record.segments[0].blocks == nil)
            let opened = try await storage.openObject(bucket: "bkt", key: "k")
            #expect(try await collect(opened.body(range: 5..<70_000)) == Array(bytes[5..<70_000]))
            #expect(try await collect(opened.body()) == bytes)
            try flipByte(at: UInt64(bytes.count - 1), ofFile: blobPath(directory, record.segments[0].blob))
            let (received, error) = await bytesBeforeFailure(try opened.body(range: 0..<100))
            #expect(isCorruption(error))
            #expect(received == 0)
        }
    }

    @Test("block CRCs are stored for every blob of more than one block, and combine into its CRC")
    func blocksAreRecorded() async throws {
        try await withStorage { storage, _ in
            let bytes = testBytes(200_000)
            let record = try await put(storage, "k", bytes)
            let blocks = try #require(record.segments[0].blocks)
            #expect(blocks.blockSize == 65_536)
            let expected = stride(from: 0, to: bytes.count, by: 65_536).map {
                referenceCRC(Array(bytes[$0..<min($0 + 65_536, bytes.count)]))
            }
            #expect(blocks.crcs == expected)
            #expect(record.crc64 == referenceCRC(bytes))
            let stored = try await storage.objectInfo(bucket: "bkt", key: "k")
            #expect(stored.segments[0].blocks == blocks)
        }
    }

    /// A ranged copy used to read its slice unverified and give the new part a fresh CRC of the
    /// rotten bytes: the damage became a part (and an object) whose CRC matched it.
    @Test("UploadPartCopy of a range over a damaged block is refused and creates no part")
    func rangedPartCopyIsVerified() async throws {
        try await withStorage { storage, directory in
            let bytes = testBytes(300_000)
            let record = try await put(storage, "src", bytes)
            try flipByte(at: 200_000, ofFile: blobPath(directory, record.segments[0].blob))
            let upload = try await storage.initiateMultipartUpload(bucket: "bkt", key: "dst")
            let opened = try await storage.openObject(bucket: "bkt", key: "src")
            await #expect {
                _ = try await storage.uploadPartCopy(
                    bucket: "bkt", key: "dst", uploadID: upload.uploadID, partNumber: 1, source: opened,
                    range: 199_000..<201_000)
            } throws: { isCorruption($0) }
            let good = try await storage.uploadPartCopy(
                bucket: "bkt", key: "dst", uploadID: upload.uploadID, partNumber: 2, source: opened, range: 0..<150_000)
            #expect(good.crc64 == referenceCRC(Array(bytes[0..<150_000])))
            let parts = try await storage.listParts(bucket: "bkt", key: "dst", uploadID: upload.uploadID).parts
            #expect(parts.map(\.partNumber) == [2])
            #expect(try temporaryFiles(directory).isEmpty)
        }
    }

    @Test("a blob file shorter than recorded is reported as corrupt")
    func truncatedBlob() async throws {
        try await withStorage { storage, directory in
            let record = try await put(storage, "k", testBytes(100_000))
            let handle = try #require(FileHandle(forWritingAtPath: blobPath(directory, record.segments[0].blob)))
            try handle.truncate(atOffset: 70_000)
            try handle.close()
            let opened = try await storage.openObject(bucket: "bkt", key: "k")
            let (received, error) = await bytesBeforeFailure(try opened.body(verify: false))
            #expect(isCorruption(error))
            #expect(received == 65_536)
        }
    }

    @Test("an intact object reads back with no error across many chunks")
    func intact() async throws {
        try await withStorage { storage, _ in
            let bytes = testBytes(1_000_000)
            try await put(storage, "k", bytes)
            #expect(try await read(storage, "k") == bytes)
        }
    }
}
