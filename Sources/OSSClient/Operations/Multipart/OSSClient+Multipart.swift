import CRC64
import NIOCore
import OSSProtocol

extension OSSClient {
    /// Starts a multipart upload (InitiateMultipartUpload). The ACL in `options` is ignored
    /// here: pass it to Complete, where OSS applies it.
    public func initiateMultipartUpload(bucket: String, key: String, options: OSSObjectWriteOptions = .init())
        async throws -> OSSInitiateMultipartUploadResult
    {
        var wire = WireRequest("InitiateMultipartUpload", .POST, bucket: bucket, key: key)
        wire.query("uploads", "")
        wire.query("encoding-type", "url")
        options.apply(to: &wire, includingACL: false)
        let (_, body) = try await performCollecting(wire)
        return try body.decode("InitiateMultipartUpload", OSSInitiateMultipartUploadResult.init(parsing:))
    }

    /// Uploads one part (UploadPart), declaring its CRC so a damaged part is refused, and
    /// checking the server's CRC in the response.
    /// - Throws: ``OSSClientError/crcMismatch(_:)`` for a damaged part; `NoSuchUpload` (404).
    public func uploadPart(_ request: OSSUploadPartRequest) async throws -> OSSUploadPartResult {
        try await uploadPart(request, reportingSent: nil)
    }

    /// ``uploadPart(_:)``, telling `report` about the body as it is sent.
    func uploadPart(_ request: OSSUploadPartRequest, reportingSent report: SentBytesReporter?) async throws
        -> OSSUploadPartResult
    {
        let operation = "UploadPart \(request.partNumber)"
        var wire = WireRequest(operation, .PUT, bucket: request.bucket, key: request.key)
        wire.query("partNumber", String(request.partNumber))
        wire.query("uploadId", request.uploadID)
        wire.reportsSent = report
        let check = CRCCheck(
            enabled: configuration.verifiesCRC64, operation: operation, bucket: request.bucket, key: request.key)
        let buffer: ByteBuffer
        switch request.body.storage {
        case .bytes(let bytes):
            buffer = bytes
        case .file(let path):
            let size = try FileIdentity(path: path).size
            let file = try await LocalFile.openForReading(path)
            defer { file.close() }
            buffer = try await file.read(at: 0, count: Int(size))
        case .stream:
            throw OSSClientError.invalidArgument("UploadPart needs bytes or a file; split streams with OSSUploader.")
        }
        let crc = buffer.withUnsafeReadableBytes { CRC64.xz.checksum($0) }
        let sent = try await sendDeclared(wire, body: .buffer(buffer), size: Int64(buffer.readableBytes), crc: crc, check)
        return OSSUploadPartResult(
            part: OSSUploadedPart(partNumber: request.partNumber, etag: sent.etag, size: sent.size, crc64: crc),
            crcVerification: sent.verification, requestID: sent.requestID)
    }

    /// Copies a range of an existing object into a part (UploadPartCopy), server-side.
    public func uploadPartCopy(_ request: OSSUploadPartCopyRequest) async throws -> OSSUploadPartCopyResult {
        var wire = WireRequest("UploadPartCopy \(request.partNumber)", .PUT, bucket: request.bucket, key: request.key)
        wire.query("partNumber", String(request.partNumber))
        wire.query("uploadId", request.uploadID)
        wire.header(OSSHeader.copySource, "/\(request.sourceBucket)/" + OSSPercentEncoding.encode(request.sourceKey))
        wire.header(OSSHeader.copySourceRange, request.sourceRange.map { "bytes=\($0.lowerBound)-\($0.upperBound)" })
        wire.header(OSSHeader.copySourceIfMatch, request.sourceIfMatch)
        let (response, body) = try await performCollecting(wire)
        let document = try body.decode("UploadPartCopy") { bytes throws(OSSError) in
            try OSSCopyResult(parsing: bytes, kind: .part)
        }
        return OSSUploadPartCopyResult(
            etag: response.header("ETag") ?? document.etag, crc64: try response.crc64(), requestID: response.requestID)
    }

    /// Assembles the parts (CompleteMultipartUpload) and compares the server's CRC with the
    /// combination of the parts' CRCs (§4.2), which costs O(parts · log size) and no re-read.
    ///
    /// - Throws: ``OSSClientError/crcMismatch(_:)`` when the combination differs (the object
    ///   exists at that point: the error says which CRCs differ, and the caller decides).
    public func completeMultipartUpload(_ request: OSSCompleteMultipartUploadRequest) async throws
        -> OSSCompleteMultipartUploadResponse
    {
        let parts = request.parts.sorted { $0.partNumber < $1.partNumber }
        guard !parts.isEmpty else { throw OSSClientError.invalidArgument("Complete needs at least one part.") }
        var wire = WireRequest("CompleteMultipartUpload", .POST, bucket: request.bucket, key: request.key)
        wire.query("uploadId", request.uploadID)
        wire.query("encoding-type", "url")
        wire.header(OSSHeader.objectACL, request.acl?.rawValue)
        if request.forbidOverwrite { wire.header(OSSHeader.forbidOverwrite, "true") }
        let xml = OSSCompleteMultipartUpload(
            parts: parts.map { OSSCompleteMultipartUpload.Part(partNumber: $0.partNumber, etag: $0.etag) }
        ).xml
        wire.xmlBody(xml)
        let (response, body) = try await performCollecting(wire)
        let document = try body.decode("CompleteMultipartUpload", OSSCompleteMultipartUploadResult.init(parsing:))
        let serverCRC = try response.crc64()
        let check = CRCCheck(
            enabled: configuration.verifiesCRC64, operation: "CompleteMultipartUpload", bucket: request.bucket,
            key: request.key)
        let verification: OSSCRCVerification
        if let combined = Self.combinedCRC(parts) {
            verification = try check.verify(server: serverCRC, client: combined)
        } else {
            verification = check.enabled ? .unverified(.incompleteParts) : .unverified(.disabled)
        }
        return OSSCompleteMultipartUploadResponse(
            result: document, crc64: serverCRC, crcVerification: verification, requestID: response.requestID)
    }

    /// The whole-object CRC of parts in order, or `nil` when one lacks a CRC.
    static func combinedCRC(_ parts: [OSSUploadedPart]) -> UInt64? {
        var crc: UInt64 = 0
        for part in parts {
            guard let partCRC = part.crc64 else { return nil }
            crc = CRC64.xz.combine(crc, partCRC, lengthOfB: UInt64(part.size))
        }
        return crc
    }

    /// Abandons an upload and frees its parts (AbortMultipartUpload).
    public func abortMultipartUpload(bucket: String, key: String, uploadID: String) async throws {
        var wire = WireRequest("AbortMultipartUpload", .DELETE, bucket: bucket, key: key)
        wire.query("uploadId", uploadID)
        try await performDiscardingBody(wire)
    }

    /// One page of an upload's parts (ListParts), each with its CRC-64.
    public func listParts(_ request: OSSListPartsRequest) async throws -> OSSListPartsResult {
        var wire = WireRequest("ListParts", .GET, bucket: request.bucket, key: request.key)
        wire.query("uploadId", request.uploadID)
        wire.query("part-number-marker", request.partNumberMarker.map(String.init))
        wire.query("max-parts", request.maxParts.map(String.init))
        wire.query("encoding-type", "url")
        let (_, body) = try await performCollecting(wire)
        return try body.decode("ListParts", OSSListPartsResult.init(parsing:))
    }

    /// Every page of an upload's parts.
    public func listPartsPages(_ request: OSSListPartsRequest) -> OSSPaginator<OSSListPartsResult> {
        OSSPaginator { token in
            var page = request
            if case .part(let marker) = token { page.partNumberMarker = marker }
            let result = try await listParts(page)
            return (result, result.isTruncated ? .part(result.nextPartNumberMarker) : nil)
        }
    }

    /// One page of unfinished uploads (ListMultipartUploads).
    public func listMultipartUploads(_ request: OSSListMultipartUploadsRequest) async throws
        -> OSSListMultipartUploadsResult
    {
        var wire = WireRequest("ListMultipartUploads", .GET, bucket: request.bucket)
        wire.query("uploads", "")
        wire.query("prefix", request.prefix)
        wire.query("delimiter", request.delimiter)
        wire.query("key-marker", request.keyMarker)
        wire.query("upload-id-marker", request.uploadIDMarker)
        wire.query("max-uploads", request.maxUploads.map(String.init))
        wire.query("encoding-type", "url")
        let (_, body) = try await performCollecting(wire)
        return try body.decode("ListMultipartUploads", OSSListMultipartUploadsResult.init(parsing:))
    }

    /// Every page of unfinished uploads.
    public func listMultipartUploadsPages(_ request: OSSListMultipartUploadsRequest)
        -> OSSPaginator<OSSListMultipartUploadsResult>
    {
        OSSPaginator { token in
            var page = request
            if case .keyAndID(let key, let uploadID) = token {
                page.keyMarker = key
                page.uploadIDMarker = uploadID
            }
            let result = try await listMultipartUploads(page)
            let next = result.isTruncated ? PageToken.keyAndID(key: result.nextKeyMarker, id: result.nextUploadIDMarker) : nil
            return (result, next)
        }
    }
}
