import OSSProtocol

extension OSSClient {
    /// Copies an object server-side in one request (CopyObject) and proves the copy equal to the
    /// source: the copy's CRC-64 must equal ``OSSCopyObjectRequest/sourceCRC64`` when given, or
    /// else the CRC of a HEAD of the source made just before, with the copy pinned to that HEAD's
    /// ETag (`x-oss-copy-source-if-match`, unless the request sets its own) so that the CRC
    /// compared is that of the bytes copied. With CRC verification off, no HEAD is made.
    ///
    /// - Throws: ``OSSClientError/crcMismatch(_:)`` when the copy's CRC differs from the source's;
    ///   ``OSSClientError/service(_:)`` with `PreconditionFailed` when a source condition fails
    ///   (also when the source changed after the HEAD), `FileAlreadyExists` with
    ///   ``OSSObjectWriteOptions/forbidOverwrite``, `NoSuchKey` for a missing source.
    public func copyObject(_ request: OSSCopyObjectRequest) async throws -> OSSCopyObjectResult {
        var conditions = request.conditions
        var sourceCRC = request.sourceCRC64
        if sourceCRC == nil, configuration.verifiesCRC64 {
            let source = try await headObject(
                OSSHeadObjectRequest(bucket: request.sourceBucket, key: request.sourceKey, versionID: request.sourceVersionID))
            sourceCRC = source.crc64
            if conditions.ifMatch == nil { conditions.ifMatch = source.etag }
        }
        var wire = WireRequest("CopyObject", .PUT, bucket: request.bucket, key: request.key)
        wire.header(
            OSSHeader.copySource,
            "/\(request.sourceBucket)/" + OSSPercentEncoding.encode(request.sourceKey)
                + (request.sourceVersionID.map { "?versionId=" + $0 } ?? ""))
        switch request.metadataDirective {
        case .copy:
            wire.header(OSSHeader.metadataDirective, OSSCopyDirective.copy.rawValue)
            wire.header(OSSHeader.objectACL, request.options.acl?.rawValue)
            wire.header(OSSHeader.storageClass, request.options.storageClass?.rawValue)
            if request.options.forbidOverwrite { wire.header(OSSHeader.forbidOverwrite, "true") }
        case .replace:
            wire.header(OSSHeader.metadataDirective, OSSCopyDirective.replace.rawValue)
            request.options.apply(to: &wire)
        }
        if let tagging = request.tagging {
            wire.header(OSSHeader.taggingDirective, OSSCopyDirective.replace.rawValue)
            wire.header(OSSHeader.tagging, tagging.headerValue)
        }
        for field in conditions.fields(.copySource) { wire.header(field.name, field.value) }
        let (response, body) = try await performCollecting(wire)
        let document = try body.decode("CopyObject") { bytes throws(OSSError) in
            try OSSCopyResult(parsing: bytes, kind: .object)
        }
        let copyCRC = try response.crc64()
        let check = CRCCheck(
            enabled: configuration.verifiesCRC64, operation: "CopyObject", bucket: request.bucket, key: request.key)
        let verification: OSSCRCVerification
        if let sourceCRC {
            verification = try check.verify(server: copyCRC, client: sourceCRC)
        } else {
            verification = check.enabled ? .unverified(.serverCRCAbsent) : .unverified(.disabled)
        }
        return OSSCopyObjectResult(
            etag: response.header("ETag") ?? document.etag, lastModified: document.lastModified, crc64: copyCRC,
            crcVerification: verification, requestID: response.requestID, versionID: response.header(OSSHeader.versionID),
            sourceVersionID: response.header(OSSHeader.copySourceVersionID))
    }
}
