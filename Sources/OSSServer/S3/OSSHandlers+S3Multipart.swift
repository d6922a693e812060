import Foundation
import HTTPTypes
import Hummingbird
import OSSProtocol

/// The multipart operations whose S3 form carries checksums OSS's does not.
extension OSSHandlers {
    /// CreateMultipartUpload: as InitiateMultipartUpload, remembering the checksum the parts
    /// are to carry (`x-amz-checksum-algorithm`) and how Complete combines them
    /// (`x-amz-checksum-type`: `COMPOSITE` by default, `FULL_OBJECT` for CRC-64/NVME).
    func s3CreateMultipartUpload(_ call: OSSCall, bucket: String, key: String) async throws -> Response {
        let checksum = try Self.uploadChecksum(call)
        let upload = try await storage.initiateMultipartUpload(
            bucket: bucket, key: key, attributes: try await newObjectAttributes(call.oss, bucket: bucket),
            forbidOverwrite: Self.forbidsOverwrite(call.oss), checksum: checksum)
        var headers = HTTPFields()
        if let checksum {
            headers[.amzChecksumAlgorithm] = checksum.algorithm.rawValue
            headers[.amzChecksumType] = checksum.type.rawValue
        }
        return Self.xmlResponse(
            OSSInitiateMultipartUploadResult(bucket: bucket, key: key, uploadID: upload.uploadID, encodingType: call.encodingType),
            headers: headers)
    }

    /// The checksum an upload's parts and object carry, from CreateMultipartUpload's headers.
    static func uploadChecksum(_ call: OSSCall) throws(OSSError) -> ObjectChecksums.Requested? {
        let typeText = call.header("x-amz-checksum-type")
        guard let text = call.header("x-amz-checksum-algorithm") else {
            if let typeText {
                throw S3Errors.invalidRequest("x-amz-checksum-type (\(typeText)) needs an x-amz-checksum-algorithm.")
            }
            return nil
        }
        guard let algorithm = S3ChecksumAlgorithm(algorithmName: text) else {
            throw S3Errors.invalidRequest("Checksum algorithm \(text) is not supported: use CRC32, CRC32C, CRC64NVME, SHA1 or SHA256.")
        }
        let type: S3ChecksumType
        if let typeText {
            guard let parsed = S3ChecksumType(rawValue: typeText.uppercased()) else {
                throw S3Errors.invalidRequest("x-amz-checksum-type must be COMPOSITE or FULL_OBJECT, not \(typeText).")
            }
            type = parsed
        } else {
            type = algorithm == .crc64nvme ? .fullObject : .composite
        }
        if type == .fullObject, algorithm == .sha1 || algorithm == .sha256 {
            throw S3Errors.invalidRequest("The FULL_OBJECT checksum type cannot be used with the \(algorithm.rawValue) checksum algorithm.")
        }
        if type == .composite, algorithm == .crc64nvme {
            throw S3Errors.invalidRequest("The COMPOSITE checksum type cannot be used with the CRC64NVME checksum algorithm.")
        }
        return ObjectChecksums.Requested(algorithm: algorithm, type: type)
    }

    /// CompleteMultipartUpload: the parts listed, each checksum listed compared with the part's,
    /// and the object's checksum, computed from the parts', compared with the one the client
    /// sent in `x-amz-checksum-*` if it did (`BadDigest` otherwise; nothing changes then).
    func s3CompleteMultipartUpload(_ call: OSSCall, bucket: String, key: String, uploadID: String) async throws -> Response {
        let body = try S3CompleteMultipartUpload(parsing: try await Self.smallBody(call, limit: 4 << 20))
        let expected = try S3ChecksumAlgorithm.allCases.lazy.compactMap { algorithm throws(OSSError) -> (S3ChecksumAlgorithm, String)? in
            call.header(algorithm.headerName).map { (algorithm, $0) }
        }.first
        let object = try await storage.completeMultipartUpload(
            bucket: bucket, key: key, uploadID: uploadID,
            parts: .listed(body.parts.map { CompletedPart(partNumber: $0.partNumber, etag: $0.etag, checksum: $0.checksum?.value) }),
            objectACL: try Self.objectACLHeader(call.oss), forbidOverwrite: Self.forbidsOverwrite(call.oss),
            expectedChecksum: expected.map { ObjectChecksums.Requested(algorithm: $0.0, value: $0.1) })
        let checksum = Self.s3Checksum(of: object)
        var headers = Self.versionHeaders(object)
        headers[.ossCRC64] = String(object.crc64)
        return Self.xmlResponse(
            S3CompleteMultipartUploadResult(
                location: Self.location(of: call, bucket: bucket, key: key), bucket: bucket, key: key, etag: object.etag,
                checksum: checksum.map { ($0.algorithm, $0.value, $0.type) }),
            headers: headers)
    }
}

extension HTTPField.Name {
    static let amzChecksumAlgorithm = Self("x-amz-checksum-algorithm")!
}
