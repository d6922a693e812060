import OSSProtocol

/// What one upload request with a declared CRC produced.
struct DeclaredUpload: Sendable {
    var etag: String
    var serverCRC: UInt64?
    var verification: OSSCRCVerification
    var size: Int64
    var requestID: String?
    /// `x-oss-next-append-position` (AppendObject only).
    var nextAppendPosition: Int64?
    /// `x-oss-version-id`, in a bucket with versioning.
    var versionID: String?

    var putResult: OSSPutObjectResult {
        OSSPutObjectResult(
            etag: etag, crc64: serverCRC, crcVerification: verification, size: size, requestID: requestID,
            versionID: versionID)
    }
}

extension OSSClient {
    /// Sends a body whose CRC-64 is known beforehand (PutObject, UploadPart, AppendObject): declares it in
    /// `x-oss-hash-crc64ecma`, so the server refuses a damaged body, and compares the CRC the
    /// server answers with. A refusal comes out as ``OSSClientError/crcMismatch(_:)``.
    func sendDeclared(
        _ request: WireRequest, body: RequestBody, size: Int64, crc: UInt64, _ check: CRCCheck
    ) async throws -> DeclaredUpload {
        var wire = request
        wire.body = body
        if check.enabled { wire.header(OSSHeader.crc64, String(crc)) }
        let response: WireResponse
        do {
            response = try await performDiscardingBody(wire)
        } catch {
            throw OSSClientError.fromDeclaredCRCRefusal(error, operation: check.operation, bucket: check.bucket, key: check.key)
        }
        let serverCRC = try response.crc64()
        return DeclaredUpload(
            etag: response.header("ETag") ?? "", serverCRC: serverCRC,
            verification: try check.verify(server: serverCRC, client: crc), size: size, requestID: response.requestID,
            nextAppendPosition: response.header(OSSHeader.nextAppendPosition).flatMap { Int64($0) },
            versionID: response.header(OSSHeader.versionID))
    }
}
