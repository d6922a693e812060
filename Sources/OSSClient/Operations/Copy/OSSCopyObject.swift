import Foundation
import OSSProtocol

/// Whether a copy keeps the source's content headers and user metadata or takes new ones.
public enum OSSMetadataDirective: Sendable, Hashable {
    /// `COPY` (OSS's default): the copy has the source's content headers and metadata.
    case copy
    /// `REPLACE`: the copy has the request's ``OSSCopyObjectRequest/options`` instead; the only
    /// way to change an object's metadata in place (a copy onto itself).
    case replace
}

/// Conditions on the copy source (`x-oss-copy-source-if-*`): nothing is copied unless they hold,
/// so a copy can be pinned to the version the caller inspected.
public typealias OSSCopySourceConditions = OSSConditions

/// CopyObject: copies an object server-side in one request (no byte passes through the client),
/// within a bucket or across buckets, and onto itself to change its metadata. For objects above
/// about 1 GB, ``OSSCopier`` splits the copy into parts.
public struct OSSCopyObjectRequest: Sendable {
    /// The source bucket.
    public var sourceBucket: String
    /// The source key.
    public var sourceKey: String
    /// The destination bucket.
    public var bucket: String
    /// The destination key.
    public var key: String
    /// `COPY` or `REPLACE` the content headers and user metadata.
    public var metadataDirective: OSSMetadataDirective
    /// ACL, storage class and overwrite protection always apply; the content headers and
    /// metadata only with ``OSSMetadataDirective/replace``. Tags are set by ``tagging`` only.
    public var options: OSSObjectWriteOptions
    /// New tags for the copy (`x-oss-tagging-directive: REPLACE`); `nil` keeps the source's.
    public var tagging: OSSTagging?
    /// Conditions on the source.
    public var conditions: OSSCopySourceConditions
    /// The source's CRC-64, when the caller knows it (from a HEAD or a listing): the copy's CRC
    /// is compared with it. When `nil`, ``OSSClient/copyObject(_:)`` reads it with a HEAD of the
    /// source first and pins the copy to that HEAD's ETag.
    public var sourceCRC64: UInt64?
    /// The version of the source to copy; `nil` for the latest.
    public var sourceVersionID: String?

    /// Creates a request.
    public init(
        sourceBucket: String, sourceKey: String, bucket: String, key: String,
        metadataDirective: OSSMetadataDirective = .copy, options: OSSObjectWriteOptions = .init(),
        tagging: OSSTagging? = nil, conditions: OSSCopySourceConditions = .init(), sourceCRC64: UInt64? = nil,
        sourceVersionID: String? = nil
    ) {
        self.sourceBucket = sourceBucket
        self.sourceKey = sourceKey
        self.bucket = bucket
        self.key = key
        self.metadataDirective = metadataDirective
        self.options = options
        self.tagging = tagging
        self.conditions = conditions
        self.sourceCRC64 = sourceCRC64
        self.sourceVersionID = sourceVersionID
    }
}

/// The outcome of CopyObject.
public struct OSSCopyObjectResult: Sendable, Hashable {
    /// The copy's ETag.
    public var etag: String
    /// When the copy was written.
    public var lastModified: Date
    /// The server's CRC-64 of the copy, when it sent one.
    public var crc64: UInt64?
    /// Whether the copy's CRC was proven equal to the source's.
    public var crcVerification: OSSCRCVerification
    /// The request id, for support.
    public var requestID: String?
    /// The version the copy created, in a bucket with versioning.
    public var versionID: String?
    /// The version of the source that was copied (`x-oss-copy-source-version-id`).
    public var sourceVersionID: String?
}
