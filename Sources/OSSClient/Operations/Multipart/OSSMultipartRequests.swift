import OSSProtocol

/// UploadPart: one part of a multipart upload, CRC-checked like PutObject.
public struct OSSUploadPartRequest: Sendable {
    /// The bucket.
    public var bucket: String
    /// The object key.
    public var key: String
    /// From InitiateMultipartUpload.
    public var uploadID: String
    /// 1…10000; re-sending a number replaces that part.
    public var partNumber: Int
    /// The part's bytes; every part but the last needs at least 100 KiB at Complete.
    public var body: OSSUploadBody

    /// Creates a request.
    public init(bucket: String, key: String, uploadID: String, partNumber: Int, body: OSSUploadBody) {
        self.bucket = bucket
        self.key = key
        self.uploadID = uploadID
        self.partNumber = partNumber
        self.body = body
    }
}

/// A part as the client knows it after uploading: what Complete needs, and what the
/// whole-object CRC is combined from.
public struct OSSUploadedPart: Sendable, Hashable, Codable {
    /// 1…10000.
    public var partNumber: Int
    /// The part's ETag, as returned.
    public var etag: String
    /// The part's size in bytes.
    public var size: Int64
    /// The part's CRC-64/XZ, when known; Complete's CRC can only be checked if every part has one.
    public var crc64: UInt64?

    /// Creates a part record.
    public init(partNumber: Int, etag: String, size: Int64, crc64: UInt64?) {
        self.partNumber = partNumber
        self.etag = etag
        self.size = size
        self.crc64 = crc64
    }
}

/// The outcome of UploadPart.
public struct OSSUploadPartResult: Sendable, Hashable {
    /// The part as uploaded (its CRC is the one computed here, proven equal to the server's when
    /// ``crcVerification`` is verified).
    public var part: OSSUploadedPart
    /// Whether the stored part was proven equal to the sent bytes.
    public var crcVerification: OSSCRCVerification
    /// The request id.
    public var requestID: String?
}

/// UploadPartCopy: one part copied server-side from a range of an existing object.
public struct OSSUploadPartCopyRequest: Sendable {
    /// The destination bucket.
    public var bucket: String
    /// The destination key.
    public var key: String
    /// The destination upload.
    public var uploadID: String
    /// The part number.
    public var partNumber: Int
    /// The source bucket.
    public var sourceBucket: String
    /// The source key.
    public var sourceKey: String
    /// The source bytes, inclusive; `nil` for the whole source object.
    public var sourceRange: ClosedRange<Int64>?
    /// `x-oss-copy-source-if-match`: fail with 412 if the source changed.
    public var sourceIfMatch: String?

    /// Creates a request.
    public init(
        bucket: String, key: String, uploadID: String, partNumber: Int, sourceBucket: String, sourceKey: String,
        sourceRange: ClosedRange<Int64>? = nil, sourceIfMatch: String? = nil
    ) {
        self.bucket = bucket
        self.key = key
        self.uploadID = uploadID
        self.partNumber = partNumber
        self.sourceBucket = sourceBucket
        self.sourceKey = sourceKey
        self.sourceRange = sourceRange
        self.sourceIfMatch = sourceIfMatch
    }
}

/// The outcome of UploadPartCopy. Its CRC comes from the server alone (no bytes pass through
/// the client); the copier checks the combination against the source object's CRC.
public struct OSSUploadPartCopyResult: Sendable, Hashable {
    /// The part's ETag.
    public var etag: String
    /// The copied range's CRC-64, when the server sent one.
    public var crc64: UInt64?
    /// The request id.
    public var requestID: String?
}

/// CompleteMultipartUpload: assembles the listed parts into the object.
public struct OSSCompleteMultipartUploadRequest: Sendable {
    /// The bucket.
    public var bucket: String
    /// The object key.
    public var key: String
    /// The upload.
    public var uploadID: String
    /// The parts, in ascending part-number order; unlisted parts are discarded.
    public var parts: [OSSUploadedPart]
    /// `x-oss-object-acl` of the new object (multipart uploads set it here, §3.7).
    public var acl: OSSObjectACL?
    /// Fail with `FileAlreadyExists` instead of replacing an existing object.
    public var forbidOverwrite: Bool

    /// Creates a request.
    public init(
        bucket: String, key: String, uploadID: String, parts: [OSSUploadedPart], acl: OSSObjectACL? = nil,
        forbidOverwrite: Bool = false
    ) {
        self.bucket = bucket
        self.key = key
        self.uploadID = uploadID
        self.parts = parts
        self.acl = acl
        self.forbidOverwrite = forbidOverwrite
    }
}

/// The outcome of CompleteMultipartUpload.
public struct OSSCompleteMultipartUploadResponse: Sendable, Hashable {
    /// The response document (location, bucket, key, ETag).
    public var result: OSSCompleteMultipartUploadResult
    /// The server's CRC-64 of the assembled object.
    public var crc64: UInt64?
    /// The combination of the parts' CRCs compared with the server's.
    public var crcVerification: OSSCRCVerification
    /// The request id.
    public var requestID: String?
}

/// ListParts: one page of the parts of an upload.
public struct OSSListPartsRequest: Sendable {
    /// The bucket.
    public var bucket: String
    /// The object key.
    public var key: String
    /// The upload.
    public var uploadID: String
    /// Start after this part number.
    public var partNumberMarker: Int?
    /// Page size, at most 1000.
    public var maxParts: Int?

    /// Creates a request.
    public init(bucket: String, key: String, uploadID: String, partNumberMarker: Int? = nil, maxParts: Int? = nil) {
        self.bucket = bucket
        self.key = key
        self.uploadID = uploadID
        self.partNumberMarker = partNumberMarker
        self.maxParts = maxParts
    }
}

/// ListMultipartUploads: one page of the unfinished uploads of a bucket.
public struct OSSListMultipartUploadsRequest: Sendable {
    /// The bucket.
    public var bucket: String
    /// Only keys starting with this.
    public var prefix: String?
    /// Group keys into common prefixes.
    public var delimiter: String?
    /// Start after this key…
    public var keyMarker: String?
    /// …and, within it, after this upload id.
    public var uploadIDMarker: String?
    /// Page size, at most 1000.
    public var maxUploads: Int?

    /// Creates a request.
    public init(
        bucket: String, prefix: String? = nil, delimiter: String? = nil, keyMarker: String? = nil,
        uploadIDMarker: String? = nil, maxUploads: Int? = nil
    ) {
        self.bucket = bucket
        self.prefix = prefix
        self.delimiter = delimiter
        self.keyMarker = keyMarker
        self.uploadIDMarker = uploadIDMarker
        self.maxUploads = maxUploads
    }
}
