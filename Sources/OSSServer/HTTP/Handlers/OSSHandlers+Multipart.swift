import Foundation
import HTTPTypes
import Hummingbird
import OSSProtocol

extension OSSHandlers {
    func initiateMultipartUpload(_ call: OSSCall, bucket: String, key: String) async throws -> Response {
        let upload = try await storage.initiateMultipartUpload(
            bucket: bucket, key: key, attributes: try await newObjectAttributes(call.oss, bucket: bucket), forbidOverwrite: Self.forbidsOverwrite(call.oss))
        return Self.xmlResponse(
            OSSInitiateMultipartUploadResult(bucket: bucket, key: key, uploadID: upload.uploadID, encodingType: call.encodingType))
    }

    func uploadPart(_ call: OSSCall, bucket: String, key: String, uploadID: String) async throws -> Response {
        let partNumber = try Self.partNumber(call)
        let part = try await storage.uploadPart(
            bucket: bucket, key: key, uploadID: uploadID, partNumber: partNumber, body: call.request.body,
            expectations: try Self.writeExpectations(call))
        var headers = HTTPFields()
        headers[.eTag] = part.etag
        headers[.ossCRC64] = String(part.crc64)
        if let md5 = OSSETag.md5(fromETag: part.etag) { headers[.contentMD5] = OSSContentMD5.value(digest: md5) }
        return Self.empty(.ok, headers: headers)
    }

    func uploadPartCopy(_ call: OSSCall, bucket: String, key: String, uploadID: String) async throws -> Response {
        let partNumber = try Self.partNumber(call)
        let (sourceBucket, sourceKey, sourceVersionID) = try Self.copySource(call)
        let source = try await Self.readingCopySource {
            try await storage.openObject(bucket: sourceBucket, key: sourceKey, versionID: sourceVersionID)
        }
        if let failed = Self.copySourceConditions(call).failure(for: source.record) {
            throw OSSError.conditionFailed(failed, in: .copySource)
        }
        guard source.record.isReadable(at: Date()) else { throw OSSError.invalidObjectState() }
        var range: Range<Int>?
        if let header = call.header(OSSHeader.copySourceRange) {
            // Unlike a GET, a range that does not fit is refused rather than widened to the whole source.
            guard let resolved = try? OSSByteRange.resolve(header: header, objectSize: Int64(source.record.size), behavior: .standard)
            else {
                throw OSSError.invalidArgument("The copy source range is not valid.", name: OSSHeader.copySourceRange, value: header)
            }
            range = Int(resolved.first)..<Int(resolved.last + 1)
        }
        let part = try await storage.uploadPartCopy(
            bucket: bucket, key: key, uploadID: uploadID, partNumber: partNumber, source: source, range: range)
        var headers = HTTPFields()
        if let versionID = source.record.versionID { headers[.ossCopySourceVersionID] = versionID }
        headers[.eTag] = part.etag
        // Unlike OSS, a copied part always carries its CRC-64.
        headers[.ossCRC64] = String(part.crc64)
        return Self.xmlResponse(OSSCopyResult(kind: .part, etag: part.etag, lastModified: part.lastModified), headers: headers)
    }

    func completeMultipartUpload(_ call: OSSCall, bucket: String, key: String, uploadID: String) async throws -> Response {
        let selection: PartSelection
        if call.header(OSSHeader.completeAll)?.lowercased() == "yes" {
            selection = .all
        } else {
            let body = try OSSCompleteMultipartUpload(parsing: try await Self.smallBody(call, limit: 4 << 20))
            selection = .listed(body.parts.map { CompletedPart(partNumber: $0.partNumber, etag: $0.etag) })
        }
        let object = try await storage.completeMultipartUpload(
            bucket: bucket, key: key, uploadID: uploadID, parts: selection, objectACL: try Self.objectACLHeader(call.oss),
            forbidOverwrite: Self.forbidsOverwrite(call.oss))
        var headers = Self.versionHeaders(object)
        headers[.eTag] = object.etag
        headers[.ossCRC64] = String(object.crc64)
        let location = Self.location(of: call, bucket: bucket, key: key)
        return Self.xmlResponse(
            OSSCompleteMultipartUploadResult(
                encodingType: call.encodingType, location: location, bucket: bucket, key: key, etag: object.etag),
            headers: headers)
    }

    func abortMultipartUpload(_ call: OSSCall, bucket: String, key: String, uploadID: String) async throws -> Response {
        try await storage.abortMultipartUpload(bucket: bucket, key: key, uploadID: uploadID)
        return Self.empty(.noContent)
    }

    func listParts(_ call: OSSCall, bucket: String, key: String, uploadID: String) async throws -> Response {
        let maxParts = try Self.intParameter(call, "max-parts", default: 1000, range: 1...1000)
        let marker = try Self.intParameter(call, "part-number-marker", default: 0, range: 0...10_000)
        let listing = try await storage.listParts(
            bucket: bucket, key: key, uploadID: uploadID, query: PartListQuery(partNumberMarker: marker, maxParts: maxParts))
        return Self.xmlResponse(
            OSSListPartsResult(
                bucket: bucket, key: key, uploadID: uploadID, encodingType: call.encodingType,
                storageClass: listing.upload.attributes.storageClass, partNumberMarker: marker,
                nextPartNumberMarker: listing.nextPartNumberMarker, maxParts: maxParts, isTruncated: listing.isTruncated,
                parts: listing.parts.map { part in
                    OSSListPartsResult.Part(
                        partNumber: part.partNumber, lastModified: part.lastModified, etag: part.etag, crc64: part.crc64,
                        size: Int64(part.size))
                }))
    }

    func listMultipartUploads(_ call: OSSCall, bucket: String) async throws -> Response {
        let maxUploads = try Self.intParameter(call, "max-uploads", default: 1000, range: 1...1000)
        let prefix = call.query("prefix") ?? ""
        let delimiter = call.query("delimiter").flatMap { $0.isEmpty ? nil : $0 }
        let keyMarker = call.query("key-marker") ?? ""
        let uploadIDMarker = call.query("upload-id-marker") ?? ""
        let listing = try await storage.listMultipartUploads(
            bucket: bucket,
            query: UploadListQuery(
                prefix: prefix, delimiter: delimiter, keyMarker: keyMarker, uploadIDMarker: uploadIDMarker,
                maxUploads: maxUploads))
        return Self.xmlResponse(
            OSSListMultipartUploadsResult(
                bucket: bucket, encodingType: call.encodingType, keyMarker: keyMarker, uploadIDMarker: uploadIDMarker,
                nextKeyMarker: listing.nextKeyMarker, nextUploadIDMarker: listing.nextUploadIDMarker,
                delimiter: delimiter ?? "", prefix: prefix, maxUploads: maxUploads, isTruncated: listing.isTruncated,
                uploads: listing.uploads.map { upload in
                    OSSListMultipartUploadsResult.Upload(
                        key: upload.key, uploadID: upload.uploadID, initiated: upload.initiated,
                        storageClass: upload.attributes.storageClass)
                },
                commonPrefixes: listing.commonPrefixes))
    }
}
