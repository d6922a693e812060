import Foundation
import Testing

@testable import OSSServer

@Suite("Symlinks")
struct SymlinkTests {
    @Test("reading through a link serves the target's bytes, size and CRC-64; GetSymlink returns the link")
    func readThrough() async throws {
        try await withStorage { storage, _ in
            let bytes = testBytes(120_000)
            let target = try await put(storage, "dir/a b+c.txt", bytes, attributes: ObjectAttributes(contentType: "text/plain"))
            let link = try await storage.putSymlink(
                bucket: "bkt", key: "link", target: "dir/a b+c.txt", attributes: ObjectAttributes(userMetadata: ["l": "1"]))
            #expect(link.type == .symlink && link.symlinkTarget == "dir/a b+c.txt")
            #expect(link.size == 0 && link.crc64 == 0 && link.segments.isEmpty)
            #expect(link.etag == referenceETag(Array("dir/a b+c.txt".utf8)))

            #expect(try await storage.objectInfo(bucket: "bkt", key: "link") == target)
            let opened = try await storage.openObject(bucket: "bkt", key: "link")
            #expect(opened.record == target && opened.symlink == link)
            #expect(opened.record.crc64 == referenceCRC(bytes))
            #expect(try await collect(opened.body()) == bytes)
            #expect(try await read(storage, "link", range: 1_000..<2_000) == Array(bytes[1_000..<2_000]))
            #expect(try await storage.openObject(bucket: "bkt", key: "dir/a b+c.txt").symlink == nil)

            #expect(try await storage.symlink(bucket: "bkt", key: "link") == link)
            let listed = try await storage.listObjects(bucket: "bkt").objects.first { $0.key == "link" }
            #expect(listed?.type == .symlink)
        }
    }

    @Test("a dangling link, or a link to a link, is symlinkTargetNotExist; deleting the link keeps the target")
    func dangling() async throws {
        try await withStorage { storage, _ in
            _ = try await storage.putSymlink(bucket: "bkt", key: "link", target: "missing")
            let dangling = StorageError.symlinkTargetNotExist(bucket: "bkt", key: "link", target: "missing")
            await #expect(throws: dangling) { try await storage.objectInfo(bucket: "bkt", key: "link") }
            await #expect(throws: dangling) { try await storage.openObject(bucket: "bkt", key: "link") }

            // The target appearing later makes the link work: links resolve when read.
            let target = try await put(storage, "missing", [1, 2, 3])
            #expect(try await read(storage, "link") == [1, 2, 3])

            _ = try await storage.putSymlink(bucket: "bkt", key: "second", target: "link")
            await #expect(throws: StorageError.symlinkTargetNotExist(bucket: "bkt", key: "second", target: "link")) {
                try await storage.openObject(bucket: "bkt", key: "second")
            }
            try await storage.deleteObject(bucket: "bkt", key: "link")
            #expect(try await storage.objectInfo(bucket: "bkt", key: "missing") == target)
        }
    }

    @Test("GetSymlink on a non-link is notSymlink; on a missing key noSuchKey")
    func notSymlink() async throws {
        try await withStorage { storage, _ in
            _ = try await put(storage, "plain", [1])
            await #expect(throws: StorageError.notSymlink(bucket: "bkt", key: "plain")) {
                try await storage.symlink(bucket: "bkt", key: "plain")
            }
            await #expect(throws: StorageError.noSuchKey(bucket: "bkt", key: "none")) {
                try await storage.symlink(bucket: "bkt", key: "none")
            }
            await #expect(throws: StorageError.invalidArgument("a symlink target must not be empty")) {
                try await storage.putSymlink(bucket: "bkt", key: "l", target: "")
            }
        }
    }

    @Test("a link replaces an object (freeing its blob), can be retargeted, respects forbidOverwrite, and copies as a link")
    func replaceAndCopy() async throws {
        try await withStorage { storage, directory in
            _ = try await put(storage, "k", testBytes(1_000))
            _ = try await put(storage, "t1", [1])
            let t2 = try await put(storage, "t2", [2])
            await #expect(throws: StorageError.fileAlreadyExists(bucket: "bkt", key: "k")) {
                try await storage.putSymlink(bucket: "bkt", key: "k", target: "t1", forbidOverwrite: true)
            }
            let first = try await storage.putSymlink(bucket: "bkt", key: "k", target: "t1")
            #expect(try await eventually { try blobFiles(directory).count == 2 })
            let second = try await storage.putSymlink(bucket: "bkt", key: "k", target: "t2")
            #expect(second.etag != first.etag)
            #expect(try await read(storage, "k") == [2])

            let copied = try await storage.copyObject(
                sourceBucket: "bkt", sourceKey: "k", destinationBucket: "bkt", destinationKey: "k2").object
            #expect(copied.type == .symlink && copied.symlinkTarget == "t2")
            #expect(try await storage.objectInfo(bucket: "bkt", key: "k2") == t2)
        }
    }
}
