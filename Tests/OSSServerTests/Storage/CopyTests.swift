import Foundation
import OSSProtocol
import Testing

@testable import OSSServer

@Suite("CopyObject and shared blobs")
struct CopyTests {
    private func copy(
        _ storage: ObjectStorage, _ source: String, to destination: String,
        metadata: MetadataDirective = .copy, tagging: TaggingDirective = .copy, acl: OSSObjectACL? = nil,
        conditions: OSSConditions = .none, forbidOverwrite: Bool = false
    ) async throws -> ObjectRecord {
        try await storage.copyObject(
            sourceBucket: "bkt", sourceKey: source, destinationBucket: "bkt", destinationKey: destination,
            metadataDirective: metadata, taggingDirective: tagging, acl: acl, conditions: conditions,
            forbidOverwrite: forbidOverwrite
        ).object
    }

    @Test("a copy shares the source's blobs, carries its CRC-64 and ETag, and survives deleting the source")
    func sharesBlobs() async throws {
        try await withStorage { storage, directory in
            let bytes = testBytes(300_000)
            let attributes = ObjectAttributes(
                contentType: "image/png", userMetadata: ["m": "1"], acl: .private, tags: ["t": "v"])
            let source = try await put(storage, "src", bytes, attributes: attributes)
            let filesBefore = try blobFiles(directory)

            let copied = try await copy(storage, "src", to: "dst")
            #expect(try blobFiles(directory) == filesBefore)
            #expect(copied.segments == source.segments)
            #expect(copied.crc64 == referenceCRC(bytes) && copied.size == bytes.count)
            #expect(copied.etag == referenceETag(bytes) && copied.contentMD5 == source.contentMD5)
            #expect(copied.type == .normal && copied.attributes == attributes)
            #expect(copied.key == "dst" && copied.lastModified >= source.lastModified)
            #expect(try await storage.objectInfo(bucket: "bkt", key: "dst") == copied)

            // Deletes remove released blobs before they return: what is still there now stays.
            try await storage.deleteObject(bucket: "bkt", key: "src")
            #expect(try blobFiles(directory) == filesBefore)
            #expect(try await read(storage, "dst") == bytes)

            try await storage.deleteObject(bucket: "bkt", key: "dst")
            #expect(try await eventually { try blobFiles(directory).isEmpty })
        }
    }

    @Test("a blob shared by several objects is freed only with the last one, whichever way they go")
    func referenceCounting() async throws {
        try await withStorage { storage, directory in
            let bytes = testBytes(50_000)
            let source = try await put(storage, "a", bytes)
            let blob = source.segments[0].blob.rawValue
            for key in ["b", "c", "d"] { _ = try await copy(storage, "a", to: key) }
            // Overwriting a copy with another copy of the same bytes keeps the blob.
            _ = try await copy(storage, "a", to: "b")
            // Overwriting, deleting in a batch and a reader holding the blob: still there.
            try await put(storage, "a", testBytes(10, seed: 3))
            do {
                let reader = try await storage.openObject(bucket: "bkt", key: "c")
                try await storage.deleteObjects(bucket: "bkt", keys: ["b", "c"])
                #expect(try blobFiles(directory)[blob] == bytes.count)
                #expect(try await read(storage, "d") == bytes)
                // The last reference goes with "d"; the reader of "c" keeps the file until it ends.
                try await storage.deleteObject(bucket: "bkt", key: "d")
                #expect(try blobFiles(directory)[blob] == bytes.count)
                #expect(try await collect(reader.body()) == bytes)
            }
            #expect(try await eventually { try blobFiles(directory)[blob] == nil })
        }
    }

    @Test("a copy of a multipart object keeps its parts' blobs, CRC-64 and ETag, and is Normal")
    func multipartSource() async throws {
        try await withStorage { storage, directory in
            let parts = [testBytes(102_400, seed: 1), testBytes(102_400, seed: 2), testBytes(5, seed: 3)]
            let upload = try await storage.initiateMultipartUpload(bucket: "bkt", key: "big")
            for (index, part) in parts.enumerated() {
                _ = try await storage.uploadPart(
                    bucket: "bkt", key: "big", uploadID: upload.uploadID, partNumber: index + 1, body: TestBody(part))
            }
            let source = try await storage.completeMultipartUpload(
                bucket: "bkt", key: "big", uploadID: upload.uploadID, parts: .all)
            let filesBefore = try blobFiles(directory)
            let copied = try await copy(storage, "big", to: "copy")
            let whole = parts.flatMap { $0 }
            #expect(copied.type == .normal && copied.crc64 == referenceCRC(whole))
            #expect(copied.etag == source.etag && copied.etag.hasSuffix("-3\""))
            #expect(copied.contentMD5 == nil)
            #expect(copied.segments == source.segments && copied.segments.count == 3)
            #expect(try blobFiles(directory) == filesBefore)
            try await storage.deleteObject(bucket: "bkt", key: "big")
            #expect(try await read(storage, "copy") == whole)
            #expect(try await read(storage, "copy", range: 102_000..<204_805) == Array(whole[102_000..<204_805]))
        }
    }

    @Test("a copy of an appendable object is Normal, shares its segments and does not follow later appends")
    func appendableSource() async throws {
        try await withStorage { storage, _ in
            let (first, second) = (testBytes(1_000, seed: 1), testBytes(2_000, seed: 2))
            _ = try await storage.appendObject(bucket: "bkt", key: "log", position: 0, body: TestBody(first))
            let source = try await storage.appendObject(bucket: "bkt", key: "log", position: 1_000, body: TestBody(second))
            let copied = try await copy(storage, "log", to: "snapshot")
            #expect(copied.type == .normal && copied.etag == source.etag && copied.contentMD5 == nil)
            #expect(copied.crc64 == referenceCRC(first + second))
            _ = try await storage.appendObject(bucket: "bkt", key: "log", position: 3_000, body: TestBody([1]))
            #expect(try await read(storage, "snapshot") == first + second)
            await #expect(throws: StorageError.objectNotAppendable(bucket: "bkt", key: "snapshot", type: .normal)) {
                try await storage.appendObject(bucket: "bkt", key: "snapshot", position: 3_000, body: TestBody([1]))
            }
        }
    }

    @Test("a copy onto itself with REPLACE changes the metadata only")
    func ontoItself() async throws {
        try await withStorage { storage, directory in
            let bytes = testBytes(70_000)
            let source = try await put(
                storage, "k", bytes,
                attributes: ObjectAttributes(contentType: "a/b", userMetadata: ["old": "1"], tags: ["t": "1"]))
            let filesBefore = try blobFiles(directory)
            let replacement = ObjectAttributes(contentType: "text/plain", userMetadata: ["new": "2"], cacheControl: "no-cache")
            let updated = try await copy(storage, "k", to: "k", metadata: .replace(replacement))
            #expect(updated.attributes.contentType == "text/plain")
            #expect(updated.attributes.userMetadata == ["new": "2"] && updated.attributes.cacheControl == "no-cache")
            #expect(updated.attributes.tags == ["t": "1"])
            #expect(updated.segments == source.segments && updated.etag == source.etag && updated.crc64 == source.crc64)
            #expect(updated.type == .normal)
            #expect(try await storage.objectInfo(bucket: "bkt", key: "k") == updated)
            #expect(try blobFiles(directory) == filesBefore)
            #expect(try await read(storage, "k") == bytes)

            // An appendable object stays appendable when its metadata is updated.
            _ = try await storage.appendObject(bucket: "bkt", key: "log", position: 0, body: TestBody([1, 2]))
            let log = try await copy(storage, "log", to: "log", metadata: .replace(replacement))
            #expect(log.type == .appendable && log.attributes.contentType == "text/plain")
            let grown = try await storage.appendObject(bucket: "bkt", key: "log", position: 2, body: TestBody([3]))
            #expect(grown.crc64 == referenceCRC([1, 2, 3]))
        }
    }

    @Test("REPLACE keeps the source's Content-Type when none is sent, and its client-side encryption metadata")
    func replaceKeepsWhatOSSKeeps() async throws {
        try await withStorage { storage, _ in
            let encryption = [
                "client-side-encryption-key": "wrapped", "client-side-encryption-start": "iv",
                "client-side-encryption-cek-alg": "AES/CTR/NoPadding",
            ]
            _ = try await put(
                storage, "enc", [1, 2, 3],
                attributes: ObjectAttributes(
                    contentType: "image/png", userMetadata: encryption.merging(["plain": "old"]) { $1 },
                    contentLanguage: "fr"))
            let replacement = ObjectAttributes(userMetadata: ["plain": "new", "client-side-encryption-start": "iv2"])
            let kept = try await copy(storage, "enc", to: "kept", metadata: .replace(replacement, keepsContentType: true))
            #expect(kept.attributes.contentType == "image/png")
            #expect(kept.attributes.contentLanguage == nil)
            #expect(
                kept.attributes.userMetadata
                    == encryption.merging(["plain": "new", "client-side-encryption-start": "iv2"]) { $1 })
            let typed = try await copy(
                storage, "enc", to: "typed",
                metadata: .replace(ObjectAttributes(contentType: "text/plain", contentLanguage: "de")))
            #expect(typed.attributes.contentType == "text/plain" && typed.attributes.contentLanguage == "de")
            #expect(typed.attributes.userMetadata == encryption)
            let copied = try await copy(storage, "enc", to: "copied")
            #expect(copied.attributes.contentLanguage == "fr")
        }
    }

    @Test("tagging directive, ACL and storage class overrides")
    func directives() async throws {
        try await withStorage { storage, _ in
            _ = try await put(storage, "src", [1], attributes: ObjectAttributes(acl: .private, tags: ["a": "1"]))
            let replaced = try await storage.copyObject(
                sourceBucket: "bkt", sourceKey: "src", destinationBucket: "bkt", destinationKey: "dst",
                taggingDirective: .replace(["b": "2"]), acl: .publicRead, storageClass: "IA").object
            #expect(replaced.attributes.tags == ["b": "2"])
            #expect(replaced.attributes.acl == .publicRead && replaced.attributes.storageClass == "IA")
            let metadataReplaced = try await copy(
                storage, "src", to: "dst2", metadata: .replace(ObjectAttributes(tags: ["x": "y"])))
            #expect(metadataReplaced.attributes.tags == ["a": "1"] && metadataReplaced.attributes.acl == .default)
            let tooMany = Dictionary(uniqueKeysWithValues: (0..<11).map { ("k\($0)", "v") })
            let error = await #expect(throws: StorageError.self) {
                try await copy(storage, "src", to: "dst3", tagging: .replace(tooMany))
            }
            #expect(isInvalidArgument(error))
        }
    }

    @Test("copy-source conditions are checked against the source, and a failure copies nothing")
    func conditions() async throws {
        try await withStorage { storage, _ in
            let source = try await put(storage, "src", [1, 2, 3])
            let modified = source.lastModified
            let failing: [(OSSConditions, OSSConditions.Condition)] = [
                (OSSConditions(ifMatch: "\"0123\""), .ifMatch),
                (OSSConditions(ifNoneMatch: source.etag), .ifNoneMatch),
                (OSSConditions(ifNoneMatch: "*"), .ifNoneMatch),
                (OSSConditions(ifModifiedSince: modified.addingTimeInterval(5)), .ifModifiedSince),
                (OSSConditions(ifUnmodifiedSince: modified.addingTimeInterval(-5)), .ifUnmodifiedSince),
            ]
            for (conditions, condition) in failing {
                await #expect(
                    throws: StorageError.copySourceConditionFailed(bucket: "bkt", key: "src", condition: condition)
                ) {
                    try await copy(storage, "src", to: "dst", conditions: conditions)
                }
            }
            await #expect(throws: StorageError.noSuchKey(bucket: "bkt", key: "dst")) {
                try await storage.objectInfo(bucket: "bkt", key: "dst")
            }
            // Unquoted and lower-case, as oss2 may send it.
            let unquoted = source.etag.trimmingCharacters(in: CharacterSet(charactersIn: "\"")).lowercased()
            let passing = OSSConditions(
                ifMatch: unquoted, ifNoneMatch: "\"0123\"", ifModifiedSince: modified.addingTimeInterval(-5),
                ifUnmodifiedSince: modified.addingTimeInterval(5))
            #expect(try await copy(storage, "src", to: "dst", conditions: passing).crc64 == source.crc64)
        }
    }

    @Test("missing source or bucket, forbidden overwrite, and a copy over another object frees its blob")
    func errorsAndOverwrite() async throws {
        try await withStorage { storage, directory in
            let source = try await put(storage, "src", testBytes(100, seed: 1))
            let other = try await put(storage, "other", testBytes(100, seed: 2))
            await #expect(throws: StorageError.noSuchKey(bucket: "bkt", key: "missing")) {
                try await copy(storage, "missing", to: "dst")
            }
            await #expect(throws: StorageError.noSuchBucket(bucket: "nope")) {
                try await storage.copyObject(sourceBucket: "bkt", sourceKey: "src", destinationBucket: "nope", destinationKey: "k")
            }
            await #expect(throws: StorageError.noSuchBucket(bucket: "nope")) {
                try await storage.copyObject(sourceBucket: "nope", sourceKey: "src", destinationBucket: "bkt", destinationKey: "k")
            }
            await #expect(throws: StorageError.fileAlreadyExists(bucket: "bkt", key: "other")) {
                try await copy(storage, "src", to: "other", forbidOverwrite: true)
            }
            #expect(try await storage.objectInfo(bucket: "bkt", key: "other") == other)
            _ = try await copy(storage, "src", to: "other")
            let remaining = [source.segments[0].blob.rawValue]
            #expect(try await eventually { try blobFiles(directory).keys.sorted() == remaining })
        }
    }

    @Test("copies across buckets share blobs too, and recovery keeps shared blobs")
    func acrossBucketsAndRecovery() async throws {
        try await withDataDirectory { directory in
            let bytes = testBytes(10_000)
            do {
                let storage = try await openTestStorage(directory: directory, configuration: testConfiguration())
                _ = try await storage.createBucket("bkt", location: "oss-test")
                _ = try await storage.createBucket("other", location: "oss-test")
                _ = try await put(storage, "src", bytes)
                _ = try await storage.copyObject(
                    sourceBucket: "bkt", sourceKey: "src", destinationBucket: "other", destinationKey: "dst")
                try await storage.deleteObject(bucket: "bkt", key: "src")
            }
            let storage = try await reopenStorage(directory)
            #expect(storage.recovery == RecoveryReport(temporaryFilesRemoved: 0, orphanBlobsRemoved: 0, missingBlobs: []))
            #expect(try await collect(storage.openObject(bucket: "other", key: "dst").body()) == bytes)
            #expect(try blobFiles(directory).count == 1)
        }
    }
}
