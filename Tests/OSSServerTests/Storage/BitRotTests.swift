import Foundation
import Testing

@testable import OSSServer

@Suite("Reads recompute CRC-64 and refuse to finish a corrupt object")
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

    @Test("a flipped byte fails a whole-object read before its last chunk is delivered")
    func flippedByte() async throws {
        try await withStorage { storage, directory in
            let bytes = testBytes(300_000)
            let record = try await put(storage, "k", bytes)
            try flipByte(at: 123_456, ofFile: blobPath(directory, record.segments[0].blob))

            let opened = try await storage.openObject(bucket: "bkt", key: "k")
            let (received, error) = await bytesBeforeFailure(try opened.body())
            #expect(isCorruption(error))
            #expect(received < bytes.count)
            #expect(received == bytes.count - bytes.count % (64 * 1024))
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

    @Test("ranges inside a segment are served unverified; unverified whole reads pass the bytes through")
    func partialAndUnverifiedReads() async throws {
        try await withStorage { storage, directory in
            let bytes = testBytes(10_000)
            let record = try await put(storage, "k", bytes)
            try flipByte(at: 5_000, ofFile: blobPath(directory, record.segments[0].blob))
            let opened = try await storage.openObject(bucket: "bkt", key: "k")
            #expect(try await collect(opened.body(range: 0..<4_000)) == Array(bytes[0..<4_000]))
            let raw = try await collect(opened.body(verify: false))
            #expect(raw.count == bytes.count && raw != bytes)
            #expect(isCorruption(await bytesBeforeFailure(try opened.body(range: 0..<10_000)).error))
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
