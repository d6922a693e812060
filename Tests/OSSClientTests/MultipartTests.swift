import CRC64
import OSSClient
import Testing

@Suite("Multipart operations")
struct MultipartTests {
    static let bucket = TestServer.bucket

    @Test("Initiate, upload parts, list them, complete: the combined CRC matches the server's")
    func roundTrip() async throws {
        try await TestServer.run { server in
            let client = server.client
            let bytes = TestBytes.random(count: 250_000, seed: 5)
            let slices = [bytes[0..<102_400], bytes[102_400..<204_800], bytes[204_800...]]
            let upload = try await client.initiateMultipartUpload(
                bucket: Self.bucket, key: "mp", options: OSSObjectWriteOptions(contentType: "application/x-mp"))
            var parts: [OSSUploadedPart] = []
            for (index, slice) in slices.enumerated() {
                let result = try await client.uploadPart(
                    OSSUploadPartRequest(
                        bucket: Self.bucket, key: "mp", uploadID: upload.uploadID, partNumber: index + 1,
                        body: .bytes(slice)))
                #expect(result.crcVerification == .verified(CRC64.xz.checksum(Array(slice))))
                parts.append(result.part)
            }
            let listed = try await client.listParts(
                OSSListPartsRequest(bucket: Self.bucket, key: "mp", uploadID: upload.uploadID))
            #expect(listed.parts.map(\.partNumber) == [1, 2, 3])
            #expect(listed.parts.map(\.crc64) == parts.map(\.crc64))
            var paged: [Int] = []
            for try await page in client.listPartsPages(
                OSSListPartsRequest(bucket: Self.bucket, key: "mp", uploadID: upload.uploadID, maxParts: 2))
            {
                paged += page.parts.map(\.partNumber)
            }
            #expect(paged == [1, 2, 3])
            let uploads = try await client.listMultipartUploads(OSSListMultipartUploadsRequest(bucket: Self.bucket))
            #expect(uploads.uploads.map(\.uploadID) == [upload.uploadID])
            let complete = try await client.completeMultipartUpload(
                OSSCompleteMultipartUploadRequest(
                    bucket: Self.bucket, key: "mp", uploadID: upload.uploadID, parts: parts, acl: .private))
            #expect(complete.crcVerification == .verified(TestBytes.crc(bytes)))
            let get = try await client.getObject(bucket: Self.bucket, key: "mp")
            #expect(get.body == bytes)
            #expect(get.metadata.objectType == .multipart)
            #expect(get.metadata.contentType == "application/x-mp")
        }
    }

    @Test("A wrong part CRC in Complete's combination is caught")
    func combinationMismatch() async throws {
        try await TestServer.run { server in
            let client = server.client
            let upload = try await client.initiateMultipartUpload(bucket: Self.bucket, key: "mp")
            let part = try await client.uploadPart(
                OSSUploadPartRequest(
                    bucket: Self.bucket, key: "mp", uploadID: upload.uploadID, partNumber: 1, body: .bytes([1, 2, 3])))
            var wrong = part.part
            wrong.crc64 = part.part.crc64.map { $0 ^ 1 }
            let error = await #expect(throws: OSSClientError.self) {
                try await client.completeMultipartUpload(
                    OSSCompleteMultipartUploadRequest(bucket: Self.bucket, key: "mp", uploadID: upload.uploadID, parts: [wrong]))
            }
            #expect(error?.isCRCMismatch == true)
        }
    }

    @Test("Abort removes the upload; its id is dead afterwards")
    func abort() async throws {
        try await TestServer.run { server in
            let client = server.client
            let upload = try await client.initiateMultipartUpload(bucket: Self.bucket, key: "gone")
            try await client.abortMultipartUpload(bucket: Self.bucket, key: "gone", uploadID: upload.uploadID)
            let error = await #expect(throws: OSSClientError.self) {
                try await client.listParts(OSSListPartsRequest(bucket: Self.bucket, key: "gone", uploadID: upload.uploadID))
            }
            #expect(error?.serviceCode == "NoSuchUpload")
            var uploads: [String] = []
            for try await page in client.listMultipartUploadsPages(OSSListMultipartUploadsRequest(bucket: Self.bucket)) {
                uploads += page.uploads.map(\.uploadID)
            }
            #expect(uploads.isEmpty)
        }
    }

    @Test("The multipart-uploads paginator walks uploads across pages")
    func uploadsPaginator() async throws {
        try await TestServer.run { server in
            var ids: [String] = []
            for key in ["u1", "u2", "u3"] {
                ids.append(try await server.client.initiateMultipartUpload(bucket: Self.bucket, key: key).uploadID)
            }
            var seen: [String] = []
            for try await page in server.client.listMultipartUploadsPages(
                OSSListMultipartUploadsRequest(bucket: Self.bucket, maxUploads: 2))
            {
                seen += page.uploads.map(\.uploadID)
            }
            #expect(seen == ids)
        }
    }

    @Test("UploadPartCopy copies ranges server-side with their CRCs")
    func partCopy() async throws {
        try await TestServer.run { server in
            let client = server.client
            let bytes = TestBytes.random(count: 200_000, seed: 21)
            let source = try await client.putObject(OSSPutObjectRequest(bucket: Self.bucket, key: "src", body: .bytes(bytes)))
            let upload = try await client.initiateMultipartUpload(bucket: Self.bucket, key: "dst")
            var parts: [OSSUploadedPart] = []
            for (number, range) in [(1, Int64(0)...Int64(102_399)), (2, Int64(102_400)...Int64(199_999))] {
                let copy = try await client.uploadPartCopy(
                    OSSUploadPartCopyRequest(
                        bucket: Self.bucket, key: "dst", uploadID: upload.uploadID, partNumber: number,
                        sourceBucket: Self.bucket, sourceKey: "src", sourceRange: range, sourceIfMatch: source.etag))
                let slice = Array(bytes[Int(range.lowerBound)...Int(range.upperBound)])
                #expect(copy.crc64 == CRC64.xz.checksum(slice))
                parts.append(OSSUploadedPart(partNumber: number, etag: copy.etag, size: Int64(slice.count), crc64: copy.crc64))
            }
            let complete = try await client.completeMultipartUpload(
                OSSCompleteMultipartUploadRequest(bucket: Self.bucket, key: "dst", uploadID: upload.uploadID, parts: parts))
            #expect(complete.crcVerification == .verified(TestBytes.crc(bytes)))
            let stale = await #expect(throws: OSSClientError.self) {
                try await client.uploadPartCopy(
                    OSSUploadPartCopyRequest(
                        bucket: Self.bucket, key: "dst", uploadID: upload.uploadID, partNumber: 1, sourceBucket: Self.bucket,
                        sourceKey: "src", sourceIfMatch: "\"00\""))
            }
            #expect(stale?.serviceCode == "NoSuchUpload" || stale?.serviceCode == "PreconditionFailed")
        }
    }
}
