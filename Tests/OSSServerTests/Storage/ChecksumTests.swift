import CRC64
import Crypto
import Foundation
import OSSProtocol
import Testing

@testable import OSSServer

/// CRC-64/NVME beside CRC-64/XZ on every write path, and the checksums S3 clients declare, kept
/// by the metadata (both stores) and combined without reading bytes.
@Suite("Object checksums")
struct ChecksumTests {
    /// The catalogue's check value of CRC-64/NVME: the CRC of "123456789".
    static let nvmeCheck: UInt64 = 0xAE8B_1486_0A79_9888

    @Test("a put records CRC-64/NVME beside CRC-64/XZ, inline and in a blob, and it survives a reopen")
    func put() async throws {
        try await withDataDirectory { directory in
            do {
                let storage = try await openTestStorage(directory: directory, configuration: testConfiguration())
                _ = try await storage.createBucket("bkt", location: "oss-test")
                let small = try await ChecksumTests.put(storage, "small", Array("123456789".utf8))
                #expect(small.checksums.crc64nvme == Self.nvmeCheck)
                #expect(small.crc64 == 0x995D_C9BB_DF19_39FA)  // CRC-64/XZ's check value
                let large = testBytes(700_000, seed: 3)
                let record = try await ChecksumTests.put(storage, "large", large)
                #expect(record.checksums.crc64nvme == CRC64.nvme.checksum(large))
                #expect(record.checksums.requested == nil)
            }
            let reopened = try await reopenStorage(directory)
            #expect(try await reopened.objectInfo(bucket: "bkt", key: "small").checksums.crc64nvme == Self.nvmeCheck)
            #expect(try await reopened.objectInfo(bucket: "bkt", key: "large").checksums.crc64nvme == CRC64.nvme.checksum(testBytes(700_000, seed: 3)))
        }
    }

    @Test("a declared checksum, once verified, is stored with the object; CRC-64/NVME itself is not stored twice")
    func declared() async throws {
        try await withStorage { storage, _ in
            let declared = DeclaredChecksum(algorithm: .crc32c)
            declared.verified = ObjectChecksums.Requested(algorithm: .crc32c, value: "4waSgw==")
            var expectations = WriteExpectations(contentLength: 9)
            expectations.declaredChecksum = declared
            let record = try await storage.putObject(
                bucket: "bkt", key: "k", body: TestBody(Array("123456789".utf8)), expectations: expectations)
            #expect(record.checksums.requested == ObjectChecksums.Requested(algorithm: .crc32c, value: "4waSgw=="))
            #expect(try await storage.objectInfo(bucket: "bkt", key: "k").checksums == record.checksums)

            declared.verified = ObjectChecksums.Requested(algorithm: .crc64nvme, value: "rosUhgp5mIg=")
            let nvme = try await storage.putObject(
                bucket: "bkt", key: "n", body: TestBody(Array("123456789".utf8)), expectations: expectations)
            #expect(nvme.checksums == ObjectChecksums(crc64nvme: Self.nvmeCheck))
        }
    }

    @Test("multipart: the object's CRC-64/NVME is the parts' combined, and a FULL_OBJECT CRC-32 too")
    func multipartFullObject() async throws {
        try await withStorage { storage, _ in
            let parts = [testBytes(150_000, seed: 1), testBytes(120_000, seed: 2), testBytes(33, seed: 4)]
            let upload = try await storage.initiateMultipartUpload(
                bucket: "bkt", key: "mp", checksum: ObjectChecksums.Requested(algorithm: .crc32, type: .fullObject))
            #expect(try await storage.listMultipartUploads(bucket: "bkt").uploads.first?.checksum?.algorithm == .crc32)
            let records = try await Self.uploadParts(parts, of: upload, storage, algorithm: .crc32)
            let listed = try await storage.listParts(bucket: "bkt", key: "mp", uploadID: upload.uploadID).parts
            #expect(listed.map(\.checksums) == records.map(\.checksums))
            let whole = parts.flatMap { $0 }
            let object = try await storage.completeMultipartUpload(
                bucket: "bkt", key: "mp", uploadID: upload.uploadID,
                parts: .listed(records.map { CompletedPart(partNumber: $0.partNumber, etag: $0.etag, checksum: $0.checksums.requested?.value) }),
                expectedChecksum: ObjectChecksums.Requested(
                    algorithm: .crc32, value: S3ChecksumAlgorithm.crc32.headerValue(digest: Self.bigEndian(CRC32.checksum(whole)))))
            #expect(object.checksums.crc64nvme == CRC64.nvme.checksum(whole))
            #expect(object.checksums.requested?.value == S3ChecksumAlgorithm.crc32.headerValue(digest: Self.bigEndian(CRC32.checksum(whole))))
            #expect(object.checksums.requested?.type == .fullObject)
            #expect(try await storage.objectInfo(bucket: "bkt", key: "mp").checksums == object.checksums)
        }
    }

    @Test("multipart: a COMPOSITE checksum is the algorithm over the part digests, with -N; a wrong whole value is refused")
    func multipartComposite() async throws {
        try await withStorage { storage, _ in
            let parts = [testBytes(110_000, seed: 5), testBytes(10, seed: 6)]
            let upload = try await storage.initiateMultipartUpload(
                bucket: "bkt", key: "c", checksum: ObjectChecksums.Requested(algorithm: .crc32c, type: .composite))
            let records = try await Self.uploadParts(parts, of: upload, storage, algorithm: .crc32c)
            let selection = PartSelection.listed(records.map { CompletedPart(partNumber: $0.partNumber, etag: $0.etag) })
            await #expect(throws: StorageError.checksumMismatch(algorithm: "CRC32C")) {
                try await storage.completeMultipartUpload(
                    bucket: "bkt", key: "c", uploadID: upload.uploadID, parts: selection,
                    expectedChecksum: ObjectChecksums.Requested(algorithm: .crc32c, value: "AAAAAA==-2"))
            }
            let object = try await storage.completeMultipartUpload(bucket: "bkt", key: "c", uploadID: upload.uploadID, parts: selection)
            let digests = parts.flatMap { Self.bigEndian(CRC32.checksum($0, variant: .castagnoli)) }
            let composite = S3ChecksumAlgorithm.crc32c.headerValue(
                digest: Self.bigEndian(CRC32.checksum(digests, variant: .castagnoli)), partCount: 2)
            #expect(object.checksums.requested?.value == composite)
            #expect(composite.hasSuffix("-2"))
        }
    }

    @Test("a part sent without a checksum gets the upload's, computed as it arrives, and the object's covers it")
    func partChecksumComputed() async throws {
        try await withStorage { storage, _ in
            let upload = try await storage.initiateMultipartUpload(
                bucket: "bkt", key: "m", checksum: ObjectChecksums.Requested(algorithm: .sha256, type: .composite))
            let bytes = testBytes(10)
            let part = try await storage.uploadPart(
                bucket: "bkt", key: "m", uploadID: upload.uploadID, partNumber: 1, body: TestBody(bytes))
            let partDigest = Array(SHA256.hash(data: bytes))
            #expect(part.checksums.requested?.value == Data(partDigest).base64EncodedString())
            let object = try await storage.completeMultipartUpload(
                bucket: "bkt", key: "m", uploadID: upload.uploadID, parts: .listed([CompletedPart(partNumber: 1, etag: part.etag)]))
            #expect(object.checksums.requested?.value == Data(SHA256.hash(data: partDigest)).base64EncodedString() + "-1")
        }
    }

    @Test("a part declaring another algorithm than its upload's is refused and leaves nothing behind")
    func partChecksumOfAnotherAlgorithm() async throws {
        try await withStorage { storage, directory in
            let upload = try await storage.initiateMultipartUpload(
                bucket: "bkt", key: "m", checksum: ObjectChecksums.Requested(algorithm: .crc32, type: .fullObject))
            let declared = DeclaredChecksum(algorithm: .sha1)
            declared.verified = ObjectChecksums.Requested(algorithm: .sha1, value: "irrelevant")
            var expectations = WriteExpectations(contentLength: 10)
            expectations.declaredChecksum = declared
            let before = try blobFiles(directory)
            await #expect(throws: StorageError.self) {
                try await storage.uploadPart(
                    bucket: "bkt", key: "m", uploadID: upload.uploadID, partNumber: 1, body: TestBody(testBytes(10)),
                    expectations: expectations)
            }
            #expect(try blobFiles(directory) == before)
            #expect(try await storage.listParts(bucket: "bkt", key: "m", uploadID: upload.uploadID).parts.isEmpty)
        }
    }

    @Test("a part that declared its upload's algorithm is not hashed again: the value the front end verified is the one kept")
    func declaredPartNotHashedTwice() async throws {
        try await withStorage { storage, _ in
            let upload = try await storage.initiateMultipartUpload(
                bucket: "bkt", key: "m", checksum: ObjectChecksums.Requested(algorithm: .sha256, type: .composite))
            // A value no hash of these bytes has: kept as is only if the storage did not hash them.
            let stand = ObjectChecksums.Requested(algorithm: .sha256, value: Data(repeating: 7, count: 32).base64EncodedString())
            let declared = DeclaredChecksum(algorithm: .sha256)
            declared.verified = stand
            var expectations = WriteExpectations(contentLength: 1000)
            expectations.declaredChecksum = declared
            let part = try await storage.uploadPart(
                bucket: "bkt", key: "m", uploadID: upload.uploadID, partNumber: 1, body: TestBody(testBytes(1000)),
                expectations: expectations)
            #expect(part.checksums.requested == stand)
            // Without a declaration the part gets the upload's algorithm, computed.
            let plain = try await storage.uploadPart(
                bucket: "bkt", key: "m", uploadID: upload.uploadID, partNumber: 2, body: TestBody(testBytes(1000)),
                expectations: WriteExpectations(contentLength: 1000))
            #expect(plain.checksums.requested?.value == Data(SHA256.hash(data: testBytes(1000))).base64EncodedString())
        }
    }

    @Test("appends extend CRC-64/NVME; copies keep every checksum")
    func appendAndCopy() async throws {
        try await withStorage { storage, _ in
            let first = testBytes(5_000, seed: 7)
            let second = testBytes(90_000, seed: 8)
            _ = try await storage.appendObject(bucket: "bkt", key: "log", position: 0, body: TestBody(first))
            let appended = try await storage.appendObject(bucket: "bkt", key: "log", position: first.count, body: TestBody(second))
            #expect(appended.checksums.crc64nvme == CRC64.nvme.checksum(first + second))
            let copy = try await storage.copyObject(
                sourceBucket: "bkt", sourceKey: "log", destinationBucket: "bkt", destinationKey: "copy").object
            #expect(copy.checksums == appended.checksums)
        }
    }

    @Test("the stored column reads back what it wrote, and skips what it does not know")
    func column() {
        let checksums = ObjectChecksums(
            crc64nvme: 42, requested: ObjectChecksums.Requested(algorithm: .sha1, type: .composite, value: "abc=-3"))
        #expect(checksums.column == "crc64nvme=42;SHA1=abc=-3;type=COMPOSITE")
        #expect(ObjectChecksums(column: checksums.column) == checksums)
        #expect(ObjectChecksums(column: "future=1;crc64nvme=7") == ObjectChecksums(crc64nvme: 7))
        #expect(ObjectChecksums(column: nil) == .none)
    }

    static func put(_ storage: ObjectStorage, _ key: String, _ bytes: [UInt8]) async throws -> ObjectRecord {
        try await storage.putObject(
            bucket: "bkt", key: key, body: TestBody(bytes), expectations: WriteExpectations(contentLength: bytes.count))
    }

    /// Uploads `parts` in order, each with its CRC-32 (or CRC-32C) declared as an S3 client would,
    /// verified as the S3 front end would have verified it.
    static func uploadParts(
        _ parts: [[UInt8]], of upload: MultipartUpload, _ storage: ObjectStorage, algorithm: S3ChecksumAlgorithm
    ) async throws -> [PartRecord] {
        var records: [PartRecord] = []
        for (index, bytes) in parts.enumerated() {
            let crc = CRC32.checksum(bytes, variant: algorithm == .crc32c ? .castagnoli : .ieee)
            let declared = DeclaredChecksum(algorithm: algorithm)
            declared.verified = ObjectChecksums.Requested(algorithm: algorithm, value: algorithm.headerValue(digest: bigEndian(crc)))
            var expectations = WriteExpectations(contentLength: bytes.count)
            expectations.declaredChecksum = declared
            records.append(
                try await storage.uploadPart(
                    bucket: upload.bucket, key: upload.key, uploadID: upload.uploadID, partNumber: index + 1,
                    body: TestBody(bytes), expectations: expectations))
        }
        return records
    }

    static func bigEndian(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)]
    }
}
