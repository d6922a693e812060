import CRC64
import Crypto
import Foundation
import OSSProtocol
import Testing

@testable import OSSServer

@Suite("Multipart uploads")
struct MultipartTests {
    static let partA = [UInt8](repeating: UInt8(ascii: "A"), count: 102_400)
    static let partB = [UInt8](repeating: UInt8(ascii: "B"), count: 102_400)
    static let partC = [UInt8](repeating: UInt8(ascii: "C"), count: 7)

    private func uploadPart(
        _ storage: ObjectStorage, _ upload: MultipartUpload, _ number: Int, _ bytes: [UInt8]
    ) async throws -> PartRecord {
        try await storage.uploadPart(
            bucket: upload.bucket, key: upload.key, uploadID: upload.uploadID, partNumber: number, body: TestBody(bytes))
    }

    private func complete(
        _ storage: ObjectStorage, _ upload: MultipartUpload, _ parts: [PartRecord], forbidOverwrite: Bool = false
    ) async throws -> ObjectRecord {
        try await storage.completeMultipartUpload(
            bucket: upload.bucket, key: upload.key, uploadID: upload.uploadID,
            parts: .listed(parts.map { CompletedPart(partNumber: $0.partNumber, etag: $0.etag) }),
            forbidOverwrite: forbidOverwrite)
    }

    @Test("the §4.5 vector: part CRCs, combined CRC, OSS ETag, and no bytes copied")
    func vector() async throws {
        try await withStorage { storage, directory in
            let attributes = ObjectAttributes(contentType: "text/plain", userMetadata: ["m": "1"], acl: .private)
            let upload = try await storage.initiateMultipartUpload(bucket: "bkt", key: "big", attributes: attributes)
            #expect(upload.uploadID.utf8.count == 32)
            let parts = [
                try await uploadPart(storage, upload, 1, Self.partA),
                try await uploadPart(storage, upload, 2, Self.partB),
                try await uploadPart(storage, upload, 3, Self.partC),
            ]
            #expect(parts.map(\.crc64) == [9_427_277_473_487_083_924, 15_456_447_387_727_083_107, 2_590_210_805_362_472_870])
            #expect(parts.map(\.etag) == [Self.partA, Self.partB, Self.partC].map(referenceETag))
            let blobsBefore = try blobFiles(directory)

            let object = try await storage.completeMultipartUpload(
                bucket: "bkt", key: "big", uploadID: upload.uploadID,
                parts: .listed(parts.map { CompletedPart(partNumber: $0.partNumber, etag: $0.etag) }),
                objectACL: .publicRead)

            let whole = Self.partA + Self.partB + Self.partC
            #expect(object.crc64 == 10_271_411_604_171_994_664)
            #expect(object.crc64 == referenceCRC(whole))
            var md5 = Insecure.MD5()
            for part in [Self.partA, Self.partB, Self.partC] { md5.update(data: referenceMD5(part)) }
            let hex = md5.finalize().map { String(format: "%02X", $0) }.joined()
            #expect(object.etag == "\"\(hex)-3\"")
            #expect(object.type == .multipart && object.size == whole.count)
            #expect(object.attributes.contentType == "text/plain" && object.attributes.userMetadata == ["m": "1"])
            #expect(object.attributes.acl == .publicRead)
            #expect(object.contentMD5 == nil)
            #expect(try await storage.objectInfo(bucket: "bkt", key: "big") == object)
            // Complete reuses the part blobs as they are.
            #expect(try blobFiles(directory) == blobsBefore)
            #expect(object.segments.map(\.blob) == parts.map(\.blob))

            #expect(try await read(storage, "big") == whole)
            for range in [102_390..<102_410, 204_795..<204_807, 0..<204_807, 204_800..<204_807] {
                #expect(try await read(storage, "big", range: range) == Array(whole[range]))
            }
            // The upload id is dead.
            await #expect(throws: StorageError.noSuchUpload(bucket: "bkt", key: "big", uploadID: upload.uploadID)) {
                try await storage.listParts(bucket: "bkt", key: "big", uploadID: upload.uploadID)
            }
            await #expect(throws: StorageError.noSuchUpload(bucket: "bkt", key: "big", uploadID: upload.uploadID)) {
                try await uploadPart(storage, upload, 4, [1])
            }
            #expect(try await storage.listMultipartUploads(bucket: "bkt").uploads.isEmpty)
        }
    }

    @Test("re-uploading a part number replaces the part and deletes its old blob")
    func replacePart() async throws {
        try await withStorage { storage, directory in
            let upload = try await storage.initiateMultipartUpload(bucket: "bkt", key: "k")
            let old = try await uploadPart(storage, upload, 1, testBytes(1000, seed: 1))
            let new = try await uploadPart(storage, upload, 1, testBytes(2000, seed: 2))
            let listing = try await storage.listParts(bucket: "bkt", key: "k", uploadID: upload.uploadID)
            #expect(listing.parts == [new])
            #expect(new.crc64 == referenceCRC(testBytes(2000, seed: 2)))
            #expect(try blobFiles(directory) == [new.blob.rawValue: 2000])
            #expect(!FileManager.default.fileExists(atPath: blobPath(directory, old.blob)))
        }
    }

    @Test("parts left out of Complete are discarded; gaps are allowed")
    func unlistedParts() async throws {
        try await withStorage { storage, directory in
            let upload = try await storage.initiateMultipartUpload(bucket: "bkt", key: "k")
            let one = try await uploadPart(storage, upload, 1, testBytes(102_400, seed: 1))
            let two = try await uploadPart(storage, upload, 2, testBytes(102_400, seed: 2))
            let five = try await uploadPart(storage, upload, 5, testBytes(10, seed: 5))
            let object = try await complete(storage, upload, [one, five])
            #expect(object.size == 102_410)
            #expect(try await read(storage, "k") == testBytes(102_400, seed: 1) + testBytes(10, seed: 5))
            #expect(Set(try blobFiles(directory).keys) == [one.blob.rawValue, five.blob.rawValue])
            #expect(!FileManager.default.fileExists(atPath: blobPath(directory, two.blob)))
        }
    }

    @Test("Complete rejects bad order, unknown parts, wrong ETags and small parts, changing nothing")
    func completeValidation() async throws {
        try await withStorage { storage, _ in
            let upload = try await storage.initiateMultipartUpload(bucket: "bkt", key: "k")
            let small = try await uploadPart(storage, upload, 1, testBytes(100))
            let big = try await uploadPart(storage, upload, 2, testBytes(102_400))
            let id = upload.uploadID
            func attempt(_ parts: [CompletedPart]) async throws {
                _ = try await storage.completeMultipartUpload(bucket: "bkt", key: "k", uploadID: id, parts: .listed(parts))
            }
            await #expect(throws: StorageError.invalidPartOrder) {
                try await attempt([CompletedPart(partNumber: 2, etag: big.etag), CompletedPart(partNumber: 1, etag: small.etag)])
            }
            await #expect(throws: StorageError.invalidPartOrder) {
                try await attempt([CompletedPart(partNumber: 2, etag: big.etag), CompletedPart(partNumber: 2, etag: big.etag)])
            }
            await #expect(throws: StorageError.invalidPart(partNumber: 3)) {
                try await attempt([CompletedPart(partNumber: 2, etag: big.etag), CompletedPart(partNumber: 3, etag: big.etag)])
            }
            await #expect(throws: StorageError.invalidPart(partNumber: 2)) {
                try await attempt([CompletedPart(partNumber: 2, etag: small.etag)])
            }
            await #expect(throws: StorageError.entityTooSmall(partNumber: 1, size: 100, minimum: 102_400)) {
                try await attempt([CompletedPart(partNumber: 1, etag: small.etag), CompletedPart(partNumber: 2, etag: big.etag)])
            }
            await #expect(throws: StorageError.invalidArgument("the part list is empty")) { try await attempt([]) }
            #expect(try await storage.listParts(bucket: "bkt", key: "k", uploadID: id).parts == [small, big])

            // ETags compare without quotes and case-insensitively; a small last part is fine.
            let unquoted = OSSETag.unquoted(big.etag).lowercased()
            let object = try await storage.completeMultipartUpload(
                bucket: "bkt", key: "k", uploadID: id, parts: .listed([CompletedPart(partNumber: 2, etag: unquoted)]))
            #expect(object.size == 102_400)
        }
    }

    @Test("complete-all uses every part in order")
    func completeAll() async throws {
        try await withStorage { storage, _ in
            let upload = try await storage.initiateMultipartUpload(bucket: "bkt", key: "k")
            for (number, seed) in [(3, UInt64(3)), (1, 1), (2, 2)] {
                _ = try await uploadPart(storage, upload, number, testBytes(number == 3 ? 5 : 102_400, seed: seed))
            }
            let object = try await storage.completeMultipartUpload(
                bucket: "bkt", key: "k", uploadID: upload.uploadID, parts: .all)
            let whole = testBytes(102_400, seed: 1) + testBytes(102_400, seed: 2) + testBytes(5, seed: 3)
            #expect(object.crc64 == referenceCRC(whole))
            #expect(try await read(storage, "k") == whole)
        }
    }

    @Test("Complete with forbid-overwrite refuses an existing key and keeps the upload")
    func completeForbidOverwrite() async throws {
        try await withStorage { storage, _ in
            try await put(storage, "k", [1, 2, 3])
            let upload = try await storage.initiateMultipartUpload(bucket: "bkt", key: "k")
            let part = try await uploadPart(storage, upload, 1, testBytes(10))
            await #expect(throws: StorageError.fileAlreadyExists(bucket: "bkt", key: "k")) {
                try await complete(storage, upload, [part], forbidOverwrite: true)
            }
            #expect(try await read(storage, "k") == [1, 2, 3])
            let object = try await complete(storage, upload, [part])
            #expect(object.crc64 == referenceCRC(testBytes(10)))
        }
    }

    @Test("Initiate with forbid-overwrite refuses an existing key and creates no upload")
    func initiateForbidOverwrite() async throws {
        try await withStorage { storage, _ in
            try await put(storage, "k", [1, 2, 3])
            await #expect(throws: StorageError.fileAlreadyExists(bucket: "bkt", key: "k")) {
                try await storage.initiateMultipartUpload(bucket: "bkt", key: "k", forbidOverwrite: true)
            }
            #expect(try await storage.listMultipartUploads(bucket: "bkt").uploads.isEmpty)
            let fresh = try await storage.initiateMultipartUpload(bucket: "bkt", key: "new", forbidOverwrite: true)
            #expect(try await storage.listMultipartUploads(bucket: "bkt").uploads.map(\.uploadID) == [fresh.uploadID])
        }
    }

    @Test("abort deletes the parts and their blobs")
    func abort() async throws {
        try await withStorage { storage, directory in
            let upload = try await storage.initiateMultipartUpload(bucket: "bkt", key: "k")
            _ = try await uploadPart(storage, upload, 1, testBytes(1000))
            _ = try await uploadPart(storage, upload, 2, testBytes(1000))
            try await storage.abortMultipartUpload(bucket: "bkt", key: "k", uploadID: upload.uploadID)
            #expect(try blobFiles(directory).isEmpty)
            await #expect(throws: StorageError.noSuchUpload(bucket: "bkt", key: "k", uploadID: upload.uploadID)) {
                try await storage.abortMultipartUpload(bucket: "bkt", key: "k", uploadID: upload.uploadID)
            }
        }
    }

    @Test("part numbers outside 1...10000 and unknown uploads are rejected before reading the body")
    func uploadPartArguments() async throws {
        try await withStorage { storage, _ in
            let upload = try await storage.initiateMultipartUpload(bucket: "bkt", key: "k")
            for number in [0, 10_001] {
                await #expect(throws: StorageError.invalidArgument("part number \(number) is outside 1...10000")) {
                    try await uploadPart(storage, upload, number, [1])
                }
            }
            await #expect(throws: StorageError.noSuchUpload(bucket: "bkt", key: "other", uploadID: upload.uploadID)) {
                try await storage.uploadPart(
                    bucket: "bkt", key: "other", uploadID: upload.uploadID, partNumber: 1,
                    body: TestBody([]).failing(after: 0))
            }
        }
    }

    @Test("ListParts pages by part number and carries each part's CRC-64")
    func listParts() async throws {
        try await withStorage { storage, _ in
            let upload = try await storage.initiateMultipartUpload(bucket: "bkt", key: "k")
            var uploaded: [PartRecord] = []
            for number in 1...5 { uploaded.append(try await uploadPart(storage, upload, number, testBytes(number * 10))) }
            let first = try await storage.listParts(
                bucket: "bkt", key: "k", uploadID: upload.uploadID, query: PartListQuery(maxParts: 2))
            #expect(first.parts == Array(uploaded[0..<2]) && first.isTruncated && first.nextPartNumberMarker == 2)
            #expect(first.parts.map(\.crc64) == [10, 20].map { referenceCRC(testBytes($0)) })
            let rest = try await storage.listParts(
                bucket: "bkt", key: "k", uploadID: upload.uploadID, query: PartListQuery(partNumberMarker: 2))
            #expect(rest.parts == Array(uploaded[2...]) && !rest.isTruncated && rest.nextPartNumberMarker == 5)
            #expect(rest.upload == upload)
        }
    }

    @Test("ListMultipartUploads orders by key then upload id, with markers, prefix and delimiter")
    func listUploads() async throws {
        try await withStorage { storage, _ in
            var uploads: [MultipartUpload] = []
            for key in ["b", "a", "b", "dir/x", "dir/y", "c"] {
                uploads.append(try await storage.initiateMultipartUpload(bucket: "bkt", key: key))
            }
            // The two uploads of "b" in OSS's order: by upload id, whenever they were initiated.
            let bs = [uploads[0], uploads[2]].sorted { $0.uploadID < $1.uploadID }
            let all = try await storage.listMultipartUploads(bucket: "bkt")
            #expect(all.uploads.map(\.key) == ["a", "b", "b", "c", "dir/x", "dir/y"])
            #expect(all.uploads.filter { $0.key == "b" }.map(\.uploadID) == bs.map(\.uploadID))
            #expect(!all.isTruncated && all.nextKeyMarker == "" && all.nextUploadIDMarker == "")

            let page = try await storage.listMultipartUploads(bucket: "bkt", query: UploadListQuery(maxUploads: 2))
            #expect(page.uploads.map(\.key) == ["a", "b"] && page.isTruncated)
            #expect(page.nextKeyMarker == "b" && page.nextUploadIDMarker == bs[0].uploadID)
            let next = try await storage.listMultipartUploads(
                bucket: "bkt",
                query: UploadListQuery(keyMarker: page.nextKeyMarker, uploadIDMarker: page.nextUploadIDMarker, maxUploads: 2))
            #expect(next.uploads.map(\.uploadID) == [bs[1].uploadID, uploads[5].uploadID])

            // An id marker is a bound, not a lookup: one that matches no upload still pages.
            let between = try await storage.listMultipartUploads(
                bucket: "bkt", query: UploadListQuery(keyMarker: "b", uploadIDMarker: String(bs[1].uploadID.dropLast())))
            #expect(between.uploads.map(\.uploadID) == [bs[1].uploadID, uploads[5].uploadID, uploads[3].uploadID, uploads[4].uploadID])

            let afterKey = try await storage.listMultipartUploads(bucket: "bkt", query: UploadListQuery(keyMarker: "b"))
            #expect(afterKey.uploads.map(\.key) == ["c", "dir/x", "dir/y"])

            let grouped = try await storage.listMultipartUploads(bucket: "bkt", query: UploadListQuery(delimiter: "/"))
            #expect(grouped.uploads.map(\.key) == ["a", "b", "b", "c"] && grouped.commonPrefixes == ["dir/"])
            let inDir = try await storage.listMultipartUploads(bucket: "bkt", query: UploadListQuery(prefix: "dir/"))
            #expect(inDir.uploads.map(\.key) == ["dir/x", "dir/y"])
        }
    }

    @Test("UploadPartCopy streams a range of an object, single- or multi-segment, into a new part")
    func uploadPartCopy() async throws {
        try await withStorage { storage, directory in
            let source = testBytes(300_000, seed: 9)
            try await put(storage, "src", source)
            let upload = try await storage.initiateMultipartUpload(bucket: "bkt", key: "dst")
            let opened = try await storage.openObject(bucket: "bkt", key: "src")
            let range = 1000..<200_000
            let copied = try await storage.uploadPartCopy(
                bucket: "bkt", key: "dst", uploadID: upload.uploadID, partNumber: 1, source: opened, range: range)
            let slice = Array(source[range])
            #expect(copied.size == slice.count)
            #expect(copied.crc64 == referenceCRC(slice))
            #expect(copied.etag == referenceETag(slice))
            #expect(try blobFiles(directory)[copied.blob.rawValue] == slice.count)

            let whole = try await storage.uploadPartCopy(
                bucket: "bkt", key: "dst", uploadID: upload.uploadID, partNumber: 2, source: opened)
            #expect(whole.crc64 == referenceCRC(source))
            let object = try await complete(storage, upload, [copied, whole])
            #expect(object.crc64 == referenceCRC(slice + source))

            // Now copy across the segment boundary of the multipart object just made.
            let second = try await storage.initiateMultipartUpload(bucket: "bkt", key: "again")
            let across = slice.count - 10..<slice.count + 10
            let part = try await storage.uploadPartCopy(
                bucket: "bkt", key: "again", uploadID: second.uploadID, partNumber: 1,
                source: try await storage.openObject(bucket: "bkt", key: "dst"), range: across)
            #expect(part.crc64 == referenceCRC(Array((slice + source)[across])))
        }
    }
}
