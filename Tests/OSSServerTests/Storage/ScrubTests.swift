import Foundation
import OSSProtocol
import Testing

@testable import OSSServer

/// The scrubber finds damage at rest that nobody read, and marks exactly the objects it touches.
@Suite("Scrubbing: stored blobs re-read and checked against their recorded CRC-64")
struct ScrubTests {
    /// Above the inline limit, so each is a blob file.
    static let size = 100_000

    /// Whether reading `key` is refused as damaged, before any byte.
    static func isRefused(_ storage: ObjectStorage, _ key: String) async -> Bool {
        do {
            _ = try await storage.openObject(bucket: "bkt", key: key)
            return false
        } catch let error as StorageError {
            guard case .corruptObject = error else { return false }
            return true
        } catch {
            return false
        }
    }

    static func path(_ storage: ObjectStorage, _ directory: String, _ key: String) async throws -> String {
        blobPath(directory, try await storage.objectInfo(bucket: "bkt", key: key).segments[0].blob)
    }

    @Test("a byte flipped, a file cut short and a file gone: exactly the objects on them are marked, copies included")
    func findsDamage() async throws {
        try await withStorage { storage, directory in
            for key in ["rotten", "short", "gone", "whole"] {
                try await put(storage, key, testBytes(Self.size, seed: UInt64(key.count)))
            }
            try await put(storage, "small", [1, 2, 3])
            _ = try await storage.copyObject(sourceBucket: "bkt", sourceKey: "rotten", destinationBucket: "bkt", destinationKey: "copy")
            try flipByte(at: 77_777, ofFile: try await Self.path(storage, directory, "rotten"))
            let short = try #require(FileHandle(forWritingAtPath: try await Self.path(storage, directory, "short")))
            try short.truncate(atOffset: 1_000)
            try short.close()
            try FileManager.default.removeItem(atPath: try await Self.path(storage, directory, "gone"))

            let report = try await storage.scrub()
            #expect(report.finished)
            // Five blob files for six objects (the copy shares one), each read once.
            #expect(report.blobs == 5)
            #expect(Set(report.damaged.map(\.key)) == ["rotten", "copy", "short", "gone"])
            let reasons = Dictionary(report.damaged.map { ($0.key, $0.reason) }, uniquingKeysWith: { first, _ in first })
            #expect(reasons["rotten"]?.contains("CRC-64") == true)
            #expect(reasons["short"]?.contains("1000 bytes") == true)
            #expect(reasons["gone"]?.contains("missing") == true)
            for key in ["rotten", "copy", "short", "gone"] {
                #expect(await Self.isRefused(storage, key), "\(key) is served")
            }
            #expect(try await read(storage, "whole") == testBytes(Self.size, seed: 5))
            #expect(try await read(storage, "small") == [1, 2, 3])
            #expect(Set(try await storage.metadata.damagedObjects(limit: 100).map(\.key)) == ["rotten", "copy", "short", "gone"])
            #expect(storage.damage.damagedByScrub == 3)
            // A copy of a marked object is refused: damaged bytes are not passed on.
            await #expect(throws: StorageError.self) {
                try await storage.copyObject(sourceBucket: "bkt", sourceKey: "copy", destinationBucket: "bkt", destinationKey: "again")
            }
        }
    }

    @Test("a part of an unfinished upload is a blob too: a damaged one is reported and marked, Complete refuses it until it is uploaded again")
    func damagedPartOfAnUnfinishedUpload() async throws {
        try await withStorage { storage, directory in
            let upload = try await storage.initiateMultipartUpload(bucket: "bkt", key: "big")
            var blobs: [BlobID] = []
            for number in 1...2 {
                let part = try await storage.uploadPart(
                    bucket: "bkt", key: "big", uploadID: upload.uploadID, partNumber: number,
                    body: TestBody(testBytes(102_400, seed: UInt64(number))))
                blobs.append(part.blob)
            }
            try flipByte(at: 50_000, ofFile: blobPath(directory, blobs[0]))

            let report = try await storage.scrub()
            #expect(report.blobs == 2)
            #expect(report.damaged.count == 1)
            #expect(report.damaged.first?.part == DamagedObject.Part(uploadID: upload.uploadID, partNumber: 1))
            #expect(report.damaged.first?.key == "big")
            #expect(report.damaged.first?.reason.contains("CRC-64") == true)
            #expect(try await storage.metadata.damagedObjects(limit: 10).map(\.part?.partNumber) == [1])

            // Completing it would make an object every read refuses: Complete says which part to send again.
            await #expect(throws: StorageError.damagedPart(partNumber: 1, reason: report.damaged.first?.reason ?? "")) {
                try await storage.completeMultipartUpload(bucket: "bkt", key: "big", uploadID: upload.uploadID, parts: .all)
            }
            let again = try await storage.uploadPart(
                bucket: "bkt", key: "big", uploadID: upload.uploadID, partNumber: 1, body: TestBody(testBytes(102_400, seed: 1)))
            #expect(again.damage == nil)
            #expect(try await storage.metadata.damagedObjects(limit: 10).isEmpty)
            _ = try await storage.completeMultipartUpload(bucket: "bkt", key: "big", uploadID: upload.uploadID, parts: .all)
            #expect(try await read(storage, "big") == testBytes(102_400, seed: 1) + testBytes(102_400, seed: 2))
        }
    }

    @Test("an object uploaded again is served again; a mark cleared after the bytes were restored serves them")
    func clearing() async throws {
        try await withStorage { storage, directory in
            let bytes = testBytes(Self.size)
            try await put(storage, "k", bytes)
            _ = try await storage.copyObject(sourceBucket: "bkt", sourceKey: "k", destinationBucket: "bkt", destinationKey: "copy")
            let path = try await Self.path(storage, directory, "k")
            try flipByte(at: 10, ofFile: path)
            #expect(try await storage.scrub().damaged.count == 2)
            try await put(storage, "k", bytes)
            #expect(try await read(storage, "k") == bytes)
            #expect(await Self.isRefused(storage, "copy"))
            // The operator puts the good bytes back, then clears the mark.
            try flipByte(at: 10, ofFile: path)
            #expect(try await storage.metadata.forgetDamage(bucket: "bkt", key: "copy") == 1)
            #expect(try await read(storage, "copy") == bytes)
            #expect(try await storage.metadata.forgetDamage(bucket: "bkt", key: "copy") == 0)
            #expect(try await storage.scrub().damaged.isEmpty)
        }
    }

    @Test("a pass stopped midway goes on from where it stopped; the one after starts over")
    func resumes() async throws {
        try await withStorage { storage, _ in
            for index in 0..<6 { try await put(storage, "k\(index)", testBytes(Self.size, seed: UInt64(index))) }
            let first = try await storage.scrub(ScrubOptions(blobLimit: 2))
            #expect(first.blobs == 2 && !first.finished)
            #expect(try await storage.metadata.setting(ObjectStorage.scrubPositionSetting) != nil)
            let rest = try await storage.scrub()
            #expect(rest.blobs == 4 && rest.finished)
            #expect(try await storage.metadata.setting(ObjectStorage.scrubPositionSetting) == nil)
            #expect(try await storage.metadata.setting(ObjectStorage.scrubFinishedSetting) != nil)
            #expect(try await storage.scrub().blobs == 6)
        }
    }

    @Test("a pass never reads faster than its rate (200 MiB at 200 MB/s: a second or more)")
    func rate() async throws {
        try await withStorage { storage, _ in
            let piece = testBytes(25 << 20)
            for index in 0..<8 { try await put(storage, "big\(index)", piece) }
            let rate = 200_000_000
            let started = ContinuousClock.now
            let report = try await storage.scrub(ScrubOptions(bytesPerSecond: rate))
            let elapsed = ContinuousClock.now - started
            #expect(report.bytes == 200 << 20)
            // A ceiling: load can only slow a pass down, so only the lower bound is checked.
            let least = Duration.seconds(Double(report.bytes) / Double(rate) * 0.8)
            #expect(elapsed >= least, "\(elapsed) for \(report.bytes) bytes at \(rate) B/s")
        }
    }
}
