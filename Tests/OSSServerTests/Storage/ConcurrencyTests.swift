import Foundation
import Testing

@testable import OSSServer

@Suite("Concurrent writers and readers")
struct ConcurrencyTests {
    @Test("readers racing overwrites and deletes always see one whole version, and no blob leaks")
    func overwritesAndReads() async throws {
        try await withStorage { storage, directory in
            let versions = (0..<6).map { testBytes(150_000 + $0 * 1000, seed: UInt64($0) + 100) }
            try await put(storage, "k", versions[0])
            try await withThrowingTaskGroup(of: Void.self) { group in
                for (index, version) in versions.enumerated().dropFirst() {
                    group.addTask {
                        try await put(storage, "k", version)
                        if index == 3 { try await storage.deleteObject(bucket: "bkt", key: "k") }
                    }
                }
                for _ in 0..<12 {
                    group.addTask {
                        do {
                            let bytes = try await read(storage, "k")
                            #expect(versions.contains(bytes))
                        } catch StorageError.noSuchKey {
                            // The delete won this race: absent is a valid answer, partial is not.
                        }
                    }
                }
                try await group.waitForAll()
            }
            try await put(storage, "k", versions[0])
            let current = try await storage.objectInfo(bucket: "bkt", key: "k")
            #expect(try await eventually { try blobFiles(directory).keys.sorted() == [current.segments[0].blob.rawValue] })
            #expect(try temporaryFiles(directory).isEmpty)
        }
    }

    @Test("parts uploaded concurrently all land, each with its own CRC-64")
    func concurrentParts() async throws {
        try await withStorage { storage, _ in
            let upload = try await storage.initiateMultipartUpload(bucket: "bkt", key: "k")
            let parts = try await withThrowingTaskGroup(of: PartRecord.self) { group in
                for number in 1...8 {
                    group.addTask {
                        try await storage.uploadPart(
                            bucket: "bkt", key: "k", uploadID: upload.uploadID, partNumber: number,
                            body: TestBody(testBytes(102_400, seed: UInt64(number))))
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }.sorted { $0.partNumber < $1.partNumber }
            }
            #expect(parts.map(\.crc64) == (1...8).map { referenceCRC(testBytes(102_400, seed: UInt64($0))) })
            let object = try await storage.completeMultipartUpload(
                bucket: "bkt", key: "k", uploadID: upload.uploadID, parts: .all)
            #expect(object.crc64 == referenceCRC((1...8).flatMap { testBytes(102_400, seed: UInt64($0)) }))
        }
    }
}
