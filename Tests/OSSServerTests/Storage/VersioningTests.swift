import Foundation
import OSSProtocol
import Testing

@testable import OSSServer

/// Reads the whole version `versionID` of `key` in `bkt`.
private func read(_ storage: ObjectStorage, _ key: String, version versionID: String?) async throws -> [UInt8] {
    try await collect(storage.openObject(bucket: "bkt", key: key, versionID: versionID).body())
}

/// Every version of `bkt` as `key:versionID[:marker]`, in listing order, one page.
private func versionList(_ storage: ObjectStorage, prefix: String = "") async throws -> [String] {
    try await storage.listObjectVersions(bucket: "bkt", query: VersionListQuery(prefix: prefix, maxKeys: 1000)).versions.map {
        "\($0.object.key):\($0.versionID)" + ($0.isDeleteMarker ? ":marker" : "") + ($0.isLatest ? ":latest" : "")
    }
}

@Suite("Versioning: versions, delete markers and the null version, with their own bytes and CRC-64")
struct VersioningTests {
    @Test("enabled: every write keeps the one it replaces; each version reads back its own bytes and CRC-64")
    func enabledKeepsVersions() async throws {
        try await withStorage { storage, directory in
            try await storage.setVersioning("bkt", .enabled)
            let first = try await put(storage, "k", testBytes(100_000, seed: 1))
            let second = try await put(storage, "k", testBytes(70_000, seed: 2))
            let firstID = try #require(first.versionID)
            let secondID = try #require(second.versionID)
            #expect(firstID != secondID && ObjectVersionID.rowID(firstID) != nil)
            // Both blobs stay: the first version still refers to its own.
            #expect(try blobFiles(directory).count == 2)
            #expect(try await read(storage, "k") == testBytes(70_000, seed: 2))
            #expect(try await read(storage, "k", version: firstID) == testBytes(100_000, seed: 1))
            #expect(try await storage.objectInfo(bucket: "bkt", key: "k", versionID: firstID).crc64 == referenceCRC(testBytes(100_000, seed: 1)))
            #expect(try await storage.objectInfo(bucket: "bkt", key: "k") == second)
            #expect(try await versionList(storage) == ["k:\(secondID):latest", "k:\(firstID)"])
            // ListObjects shows the current object only.
            #expect(try await storage.listObjects(bucket: "bkt").objects.map(\.size) == [70_000])
        }
    }

    @Test("enabled: a delete leaves a delete marker; reads see it; removing the marker brings the object back")
    func deleteMarkers() async throws {
        try await withStorage { storage, directory in
            try await storage.setVersioning("bkt", .enabled)
            let object = try await put(storage, "k", [1, 2, 3])
            let deleted = try await storage.deleteObject(bucket: "bkt", key: "k")
            let markerID = try #require(deleted.versionID)
            #expect(deleted.deleteMarker && markerID != object.versionID)
            await #expect(throws: StorageError.deleteMarker(bucket: "bkt", key: "k", versionID: markerID, addressed: false)) {
                try await storage.objectInfo(bucket: "bkt", key: "k")
            }
            await #expect(throws: StorageError.deleteMarker(bucket: "bkt", key: "k", versionID: markerID, addressed: true)) {
                try await storage.openObject(bucket: "bkt", key: "k", versionID: markerID)
            }
            #expect(try await storage.listObjects(bucket: "bkt").objects.isEmpty)
            #expect(try blobFiles(directory).count == 1)
            #expect(try await read(storage, "k", version: object.versionID) == [1, 2, 3])
            // Deleting again adds a second marker, as OSS does.
            let again = try await storage.deleteObject(bucket: "bkt", key: "k")
            let secondMarker = try #require(again.versionID)
            #expect(try await versionList(storage) == [
                "k:\(secondMarker):marker:latest", "k:\(markerID):marker", "k:\(try #require(object.versionID))",
            ])
            // Removing a marker by its id reports it; removing the latest one makes the next newest latest.
            let removed = try await storage.deleteObject(bucket: "bkt", key: "k", versionID: secondMarker)
            #expect(removed == DeletionOutcome(key: "k", versionID: secondMarker, deleteMarker: true))
            try await storage.deleteObject(bucket: "bkt", key: "k", versionID: markerID)
            #expect(try await storage.objectInfo(bucket: "bkt", key: "k") == object)
            #expect(try await versionList(storage) == ["k:\(try #require(object.versionID)):latest"])
        }
    }

    @Test("deleting a version for good frees its blob only once no version or copy refers to it")
    func deletingVersionsFreesBlobs() async throws {
        try await withStorage { storage, directory in
            try await storage.setVersioning("bkt", .enabled)
            let first = try await put(storage, "k", testBytes(10_000, seed: 1))
            let second = try await put(storage, "k", testBytes(10_000, seed: 2))
            let (copy, source) = try await storage.copyObject(
                sourceBucket: "bkt", sourceKey: "k", sourceVersionID: first.versionID, destinationBucket: "bkt",
                destinationKey: "copy")
            #expect(source == first && copy.segments == first.segments && copy.crc64 == first.crc64)
            #expect(try blobFiles(directory).count == 2)

            let outcome = try await storage.deleteObject(bucket: "bkt", key: "k", versionID: first.versionID)
            #expect(outcome == DeletionOutcome(key: "k", versionID: first.versionID, deleteMarker: false))
            // The copy still refers to the first blob.
            #expect(try blobFiles(directory).count == 2)
            #expect(try await read(storage, "copy") == testBytes(10_000, seed: 1))
            try await storage.deleteObject(bucket: "bkt", key: "copy", versionID: copy.versionID)
            #expect(try await eventually { try blobFiles(directory).count == 1 })
            // Deleting a version that is gone already is no error, as on OSS.
            #expect(try await storage.deleteObject(bucket: "bkt", key: "k", versionID: first.versionID).deleteMarker == false)
            await #expect(throws: StorageError.noSuchVersion(bucket: "bkt", key: "k", versionID: try #require(first.versionID))) {
                try await storage.objectInfo(bucket: "bkt", key: "k", versionID: first.versionID)
            }
            // The last version deleted by id leaves the key without any version, not a marker.
            try await storage.deleteObject(bucket: "bkt", key: "k", versionID: second.versionID)
            #expect(try await versionList(storage).isEmpty)
            #expect(try await eventually { try blobFiles(directory).isEmpty })
            try await storage.deleteBucket("bkt")
        }
    }

    @Test("suspended: writes and deletes replace the null version and keep every version with an id")
    func suspended() async throws {
        try await withStorage { storage, directory in
            let unversioned = try await put(storage, "k", [0])
            #expect(unversioned.versionID == nil)
            try await storage.setVersioning("bkt", .enabled)
            let kept = try await put(storage, "k", [1])
            try await storage.setVersioning("bkt", .suspended)
            let null1 = try await put(storage, "k", [2])
            #expect(null1.versionID == "null")
            let keptID = try #require(kept.versionID)
            // The object written before versioning was the null version: the suspended write replaced it.
            #expect(try await versionList(storage) == ["k:null:latest", "k:\(keptID)"])
            let null2 = try await put(storage, "k", [3])
            #expect(null2.versionID == "null")
            #expect(try await versionList(storage) == ["k:null:latest", "k:\(keptID)"])
            #expect(try await read(storage, "k", version: "null") == [3])
            #expect(try await eventually { try blobFiles(directory).count == 2 })

            let deleted = try await storage.deleteObject(bucket: "bkt", key: "k")
            #expect(deleted == DeletionOutcome(key: "k", versionID: "null", deleteMarker: true))
            #expect(try await versionList(storage) == ["k:null:marker:latest", "k:\(keptID)"])
            #expect(try await eventually { try blobFiles(directory).count == 1 })
            #expect(try await read(storage, "k", version: keptID) == [1])
            // Re-enabled, writes get ids again and the null marker stays a version among others.
            try await storage.setVersioning("bkt", .enabled)
            let fresh = try await put(storage, "k", [4])
            #expect(try await versionList(storage) == ["k:\(try #require(fresh.versionID)):latest", "k:null:marker", "k:\(keptID)"])
        }
    }

    @Test("never versioned: records name no version, `null` addresses the object, other ids are refused or missing")
    func neverVersioned() async throws {
        try await withStorage { storage, directory in
            let object = try await put(storage, "k", [1, 2])
            #expect(object.versionID == nil)
            #expect(try await storage.bucket("bkt").versioning == nil)
            #expect(try await read(storage, "k", version: "null") == [1, 2])
            let wellFormed = ObjectVersionID.make(rowID: 99)
            await #expect(throws: StorageError.noSuchVersion(bucket: "bkt", key: "k", versionID: wellFormed)) {
                try await storage.objectInfo(bucket: "bkt", key: "k", versionID: wellFormed)
            }
            await #expect(throws: StorageError.invalidVersionID("234")) {
                try await storage.objectInfo(bucket: "bkt", key: "k", versionID: "234")
            }
            await #expect(throws: StorageError.invalidVersionID("234")) {
                try await storage.deleteObject(bucket: "bkt", key: "k", versionID: "234")
            }
            // A plain delete removes the object: no marker, no version left.
            #expect(try await storage.deleteObject(bucket: "bkt", key: "k") == DeletionOutcome(key: "k", versionID: nil, deleteMarker: false))
            #expect(try await versionList(storage).isEmpty)
            #expect(try await eventually { try blobFiles(directory).isEmpty })
            // Listing versions of a never-versioned bucket lists null versions.
            _ = try await put(storage, "a", [1])
            #expect(try await versionList(storage) == ["a:null:latest"])
        }
    }

    @Test("with versioning on, forbid-overwrite does not apply: nothing is overwritten")
    func forbidOverwriteIgnored() async throws {
        try await withStorage { storage, _ in
            try await storage.setVersioning("bkt", .enabled)
            _ = try await put(storage, "k", [1])
            let second = try await storage.putObject(bucket: "bkt", key: "k", body: TestBody([2]), forbidOverwrite: true)
            #expect(second.versionID != nil)
            _ = try await storage.initiateMultipartUpload(bucket: "bkt", key: "k", forbidOverwrite: true)
            #expect(try await versionList(storage).count == 2)
        }
    }

    @Test("appends grow the latest version in place; after a delete marker, position 0 starts a new version")
    func appendsInVersionedBuckets() async throws {
        try await withStorage { storage, _ in
            try await storage.setVersioning("bkt", .enabled)
            let created = try await storage.appendObject(bucket: "bkt", key: "log", position: 0, body: TestBody([1, 2, 3]))
            let id = try #require(created.versionID)
            let grown = try await storage.appendObject(bucket: "bkt", key: "log", position: 3, body: TestBody([4]))
            #expect(grown.versionID == id && grown.crc64 == referenceCRC([1, 2, 3, 4]))
            try await storage.deleteObject(bucket: "bkt", key: "log")
            let restarted = try await storage.appendObject(bucket: "bkt", key: "log", position: 0, body: TestBody([9]))
            #expect(restarted.versionID != id && restarted.size == 1)
            #expect(try await read(storage, "log", version: id) == [1, 2, 3, 4])
            #expect(try await versionList(storage).count == 3)
        }
    }

    @Test("tags and ACLs change one version; copies and symlinks read the version named")
    func perVersionAttributes() async throws {
        try await withStorage { storage, _ in
            try await storage.setVersioning("bkt", .enabled)
            let first = try await put(storage, "k", [1])
            let second = try await put(storage, "k", [2])
            let tagged = try await storage.putObjectTags(bucket: "bkt", key: "k", versionID: first.versionID, tags: ["v": "1"])
            #expect(tagged.versionID == first.versionID && tagged.attributes.tags == ["v": "1"])
            #expect(try await storage.objectTags(bucket: "bkt", key: "k").attributes.tags.isEmpty)
            try await storage.putObjectACL(bucket: "bkt", key: "k", versionID: first.versionID, acl: .publicRead)
            #expect(try await storage.objectACL(bucket: "bkt", key: "k").attributes.acl == .default)
            #expect(try await storage.objectACL(bucket: "bkt", key: "k", versionID: first.versionID).attributes.acl == .publicRead)
            // The version a link names resolves to the target's latest object.
            let link = try await storage.putSymlink(bucket: "bkt", key: "link", target: "k")
            #expect(link.versionID != nil)
            #expect(try await storage.objectInfo(bucket: "bkt", key: "link").versionID == second.versionID)
        }
    }

    @Test("ListObjectVersions pages by key and version marker through versions, markers and common prefixes")
    func paging() async throws {
        try await withStorage { storage, _ in
            try await storage.setVersioning("bkt", .enabled)
            for key in ["a", "b/1", "b/2", "c"] {
                for round in 0..<3 { _ = try await put(storage, key, [UInt8(round)]) }
            }
            try await storage.deleteObject(bucket: "bkt", key: "c")
            let everything = try await versionList(storage)
            #expect(everything.count == 13)
            for delimiter in [nil, "/"] {
                for pageSize in [1, 2, 5] {
                    var query = VersionListQuery(delimiter: delimiter, maxKeys: pageSize)
                    var seen: [String] = []
                    var prefixes: [String] = []
                    while true {
                        let page = try await storage.listObjectVersions(bucket: "bkt", query: query)
                        #expect(page.versions.count + page.commonPrefixes.count <= pageSize)
                        seen += page.versions.map { "\($0.object.key):\($0.versionID)" + ($0.isDeleteMarker ? ":marker" : "") + ($0.isLatest ? ":latest" : "") }
                        prefixes += page.commonPrefixes
                        guard page.isTruncated else { break }
                        query.keyMarker = page.nextKeyMarker
                        query.versionIDMarker = page.nextVersionIDMarker
                    }
                    let expected = delimiter == nil ? everything : everything.filter { !$0.hasPrefix("b/") }
                    #expect(seen == expected, "delimiter \(String(describing: delimiter)), page size \(pageSize)")
                    #expect(prefixes == (delimiter == nil ? [] : ["b/"]))
                }
            }
            // A marker naming a version deleted since still resumes at its place.
            let versions = try await storage.listObjectVersions(bucket: "bkt", query: VersionListQuery(prefix: "a", maxKeys: 10)).versions
            try await storage.deleteObject(bucket: "bkt", key: "a", versionID: versions[1].versionID)
            let rest = try await storage.listObjectVersions(
                bucket: "bkt", query: VersionListQuery(prefix: "a", keyMarker: "a", versionIDMarker: versions[1].versionID))
            #expect(rest.versions.map(\.versionID) == [versions[2].versionID])
        }
    }

    @Test("a bucket holding only noncurrent versions or delete markers is not empty")
    func bucketNotEmpty() async throws {
        try await withStorage { storage, _ in
            try await storage.setVersioning("bkt", .enabled)
            let object = try await put(storage, "k", [1])
            let marker = try await storage.deleteObject(bucket: "bkt", key: "k")
            await #expect(throws: StorageError.bucketNotEmpty(bucket: "bkt")) { try await storage.deleteBucket("bkt") }
            try await storage.deleteObject(bucket: "bkt", key: "k", versionID: object.versionID)
            await #expect(throws: StorageError.bucketNotEmpty(bucket: "bkt")) { try await storage.deleteBucket("bkt") }
            try await storage.deleteObject(bucket: "bkt", key: "k", versionID: marker.versionID)
            try await storage.deleteBucket("bkt")
        }
    }

    @Test("a failed versioned write adds no version; start-up recovery keeps the blobs of every version", .sqliteOnly)
    func crashesKeepVersions() async throws {
        try await withDataDirectory { directory in
            var versions: [ObjectRecord] = []
            do {
                let storage = try await openTestStorage(directory: directory, configuration: testConfiguration())
                _ = try await storage.createBucket("bkt", location: "oss-test")
                try await storage.setVersioning("bkt", .enabled)
                for seed in 1...3 { versions.append(try await put(storage, "k", testBytes(200_000, seed: UInt64(seed)))) }
                try await storage.deleteObject(bucket: "bkt", key: "k")
                // A body cut off midway: nothing is stored, no version appears.
                await #expect(throws: TestBodyError.connectionReset) {
                    try await storage.putObject(bucket: "bkt", key: "k", body: TestBody(testBytes(200_000)).failing(after: 3))
                }
                #expect(try await versionList(storage).count == 4)
            }
            // What a crash between publishing a blob and committing its version leaves: an orphan.
            let orphan = BlobID.random()
            #expect(FileManager.default.createFile(atPath: blobPath(directory, orphan), contents: Data(testBytes(10))))
            let storage = try await reopenStorage(directory)
            #expect(storage.recovery.orphanBlobsRemoved == 1)
            for (index, version) in versions.enumerated() {
                let bytes = testBytes(200_000, seed: UInt64(index + 1))
                #expect(try await read(storage, "k", version: version.versionID) == bytes)
                #expect(try await storage.objectInfo(bucket: "bkt", key: "k", versionID: version.versionID) == version)
            }
        }
    }
}
