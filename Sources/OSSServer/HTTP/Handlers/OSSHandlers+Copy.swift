import Foundation
import HTTPTypes
import Hummingbird
import OSSProtocol

/// CopyObject (§3.5): `PUT /bkt/key` with `x-oss-copy-source`.
extension OSSHandlers {
    /// Copies without moving a byte (the copy shares the source's blobs), across buckets too, and
    /// onto the source itself to change its metadata. The response is `CopyObjectResult` plus the
    /// `ETag` header oss2 reads and, unlike OSS, always the object's CRC-64 (§6.1).
    func copyObject(_ call: OSSCall, bucket: String, key: String) async throws -> Response {
        let source = try Self.copySource(call)
        let metadata: MetadataDirective = switch try Self.directive(call, OSSHeader.metadataDirective) {
        case .copy: .copy
        case .replace:
            .replace(
                try await newObjectAttributes(call.oss, bucket: bucket), keepsContentType: call.header("content-type") == nil)
        }
        let tagging: TaggingDirective = switch try Self.directive(call, OSSHeader.taggingDirective) {
        case .copy: .copy
        case .replace: .replace(try Self.taggingHeader(call.oss))
        }
        let (object, copied) = try await Self.readingCopySource {
            try await storage.copyObject(
            sourceBucket: source.bucket, sourceKey: source.key, sourceVersionID: source.versionID, destinationBucket: bucket, destinationKey: key,
            metadataDirective: metadata, taggingDirective: tagging, acl: try Self.objectACLHeader(call.oss),
            storageClass: try Self.storageClassHeader(call.oss), conditions: Self.copySourceConditions(call),
            forbidOverwrite: Self.forbidsOverwrite(call.oss))
        }
        var headers = Self.versionHeaders(object)
        if let versionID = copied.versionID { headers[.ossCopySourceVersionID] = versionID }
        headers[.eTag] = object.etag
        headers[.ossCRC64] = String(object.crc64)
        return Self.xmlResponse(
            OSSCopyResult(kind: .object, etag: object.etag, lastModified: object.lastModified), headers: headers)
    }

    /// Runs a read of a copy source: a delete marker there, latest or named, is a missing source
    /// (404 `NoSuchKey`), as OSS answers CopyObject and UploadPartCopy.
    static func readingCopySource<T>(_ read: () async throws -> T) async throws -> T {
        do {
            return try await read()
        } catch StorageError.deleteMarker(let bucket, let key, _, _) {
            throw StorageError.noSuchKey(bucket: bucket, key: key)
        }
    }

    /// `COPY` (the default) or `REPLACE`, in any letter case.
    static func directive(_ call: OSSCall, _ header: String) throws(OSSError) -> OSSCopyDirective {
        guard let value = call.header(header) else { return .copy }
        guard let directive = OSSCopyDirective(header: value) else {
            throw .invalidArgument("\(header) must be COPY or REPLACE.", name: header, value: value)
        }
        return directive
    }

    /// The `x-oss-copy-source-if-*` headers.
    static func copySourceConditions(_ call: OSSCall) -> OSSConditions {
        OSSConditions(.copySource, from: call.header)
    }
}
