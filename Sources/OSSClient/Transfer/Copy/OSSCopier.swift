import CRC64
import OSSProtocol

/// Copies an object server-side (no byte passes through the client) and proves the copy intact:
/// objects up to ``Options/multipartThreshold`` in one CopyObject, whose CRC must equal the
/// source's; larger ones in parallel UploadPartCopy requests, whose CRCs, combined, must equal
/// both Complete's CRC and the source object's.
///
/// Content type, cache headers and user metadata are carried over from the source, as OSS's
/// CopyObject does by default. Tags are carried over by CopyObject only: a multipart copy has none.
public struct OSSCopier: Sendable {
    /// How a copy is split.
    public struct Options: Sendable {
        /// The size of each copied range. 64 MiB by default: no data moves through the client,
        /// so larger parts only mean fewer requests.
        public var partSize: Int64
        /// Objects up to this size are copied in one CopyObject request; larger ones in parts.
        /// Defaults to ``partSize``: an object that fits one part needs no multipart upload.
        public var multipartThreshold: Int64
        /// Part copies in flight at once.
        public var concurrency: Int
        /// Receives bytes copied so far.
        public var progress: OSSProgressHandler?

        /// Creates options.
        public init(
            partSize: Int64 = 64 << 20, multipartThreshold: Int64? = nil, concurrency: Int = 3,
            progress: OSSProgressHandler? = nil
        ) {
            self.partSize = partSize
            self.multipartThreshold = multipartThreshold ?? partSize
            self.concurrency = max(1, concurrency)
            self.progress = progress
        }
    }

    /// The client whose connection pool and settings are used.
    public let client: OSSClient
    /// How copies are split.
    public let options: Options

    /// Creates a copier.
    public init(client: OSSClient, options: Options = Options()) {
        self.client = client
        self.options = options
    }

    /// Copies `sourceBucket`/`sourceKey` to `bucket`/`key`.
    /// - Throws: ``OSSClientError/crcMismatch(_:)`` when the copy's CRC differs from the
    ///   source's; `PreconditionFailed` when the source changed during the copy.
    public func copy(sourceBucket: String, sourceKey: String, bucket: String, key: String) async throws
        -> OSSUploadResult
    {
        let source = try await client.headObject(bucket: sourceBucket, key: sourceKey)
        let objectOptions = OSSObjectWriteOptions(
            contentType: source.contentType, cacheControl: source.cacheControl,
            contentDisposition: source.contentDisposition, contentEncoding: source.contentEncoding,
            contentLanguage: source.contentLanguage, expires: source.expires, metadata: source.metadata, storageClass: source.storageClass)
        let check = CRCCheck(
            enabled: client.configuration.verifiesCRC64, operation: "Copy", bucket: bucket, key: key)
        let progress = ProgressTracker(total: source.contentLength, handler: options.progress)
        guard source.contentLength > options.multipartThreshold else {
            // Pinned to the HEAD's ETag, so the CRC compared is that of the bytes copied.
            let copied = try await client.copyObject(
                OSSCopyObjectRequest(
                    sourceBucket: sourceBucket, sourceKey: sourceKey, bucket: bucket, key: key,
                    conditions: OSSCopySourceConditions(ifMatch: source.etag), sourceCRC64: source.crc64))
            progress.add(source.contentLength)
            return OSSUploadResult(
                etag: copied.etag, crc64: copied.crc64, crcVerification: copied.crcVerification,
                size: source.contentLength, partCount: 0, resumedParts: 0)
        }
        let plan = PartPlan(size: source.contentLength, preferredPartSize: options.partSize)
        let upload = try await client.initiateMultipartUpload(bucket: bucket, key: key, options: objectOptions)
        let recorder = CheckpointRecorder<[OSSUploadedPart]>([], file: nil)
        do {
            try await forEachConcurrently(plan.parts, limit: options.concurrency) { [client] part in
                let copied = try await client.uploadPartCopy(
                    OSSUploadPartCopyRequest(
                        bucket: bucket, key: key, uploadID: upload.uploadID, partNumber: part.number,
                        sourceBucket: sourceBucket, sourceKey: sourceKey,
                        sourceRange: part.offset...(part.offset + part.size - 1), sourceIfMatch: source.etag))
                try await recorder.update {
                    $0.append(
                        OSSUploadedPart(partNumber: part.number, etag: copied.etag, size: part.size, crc64: copied.crc64))
                }
                progress.add(part.size)
            }
            let complete = try await client.completeMultipartUpload(
                OSSCompleteMultipartUploadRequest(
                    bucket: bucket, key: key, uploadID: upload.uploadID, parts: await recorder.value))
            // Complete proved the parts consistent; the source's CRC proves them the source.
            let verification: OSSCRCVerification
            if let copyCRC = complete.crc64, complete.crcVerification.isVerified {
                verification = try check.verify(server: source.crc64, client: copyCRC)
            } else {
                verification = complete.crcVerification
            }
            return OSSUploadResult(
                etag: complete.result.etag, crc64: complete.crc64, crcVerification: verification,
                size: source.contentLength, partCount: plan.parts.count, resumedParts: 0)
        } catch {
            await OSSUploader(client: client).abandon(bucket: bucket, key: key, uploadID: upload.uploadID)
            throw error
        }
    }
}
