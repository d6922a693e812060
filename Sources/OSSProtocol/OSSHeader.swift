/// Names of the OSS headers that server and client both read or write, in lower case.
///
/// HTTP header names are case-insensitive; the lower-case spelling is the one that signatures use.
public enum OSSHeader {
    /// The CRC-64/XZ of the object (or part, or copied range), as an unsigned decimal string.
    public static let crc64 = "x-oss-hash-crc64ecma"
    /// The request id OSS puts on every response: 24 upper-case hexadecimal characters.
    public static let requestID = "x-oss-request-id"
    /// On HEAD errors, the base64 of the XML error body that HEAD cannot carry.
    public static let error = "x-oss-err"
    /// The error's `EC` beside the body; v2 reads it when the body has none.
    public static let errorCode = "x-oss-ec"
    /// Prefix of every header that V1 and V4 signatures cover.
    public static let prefix = "x-oss-"
    /// Prefix of user metadata headers (`x-oss-meta-<name>`).
    public static let metaPrefix = "x-oss-meta-"
    /// The signing time; takes precedence over `Date` in V1 and is required by V4.
    public static let date = "x-oss-date"
    /// The V4 payload hash; the SDKs send `UNSIGNED-PAYLOAD`.
    public static let contentSHA256 = "x-oss-content-sha256"
    /// The STS security token (signed by V4).
    public static let securityToken = "x-oss-security-token"
    /// The length after an append, on success and with `PositionNotEqualToLength`.
    public static let nextAppendPosition = "x-oss-next-append-position"
    /// When SealAppendObject sealed an Appendable object (RFC 1123), on its HEAD and GET.
    public static let sealedTime = "x-oss-sealed-time"
    /// The restore state of an archived object on HEAD and GET: `ongoing-request="true"`, or
    /// `ongoing-request="false", expiry-date="<RFC 1123>"`.
    public static let restore = "x-oss-restore"
    /// `Normal`, `Appendable`, `Multipart` or `Symlink`.
    public static let objectType = "x-oss-object-type"
    /// `Standard`, `IA`, `Archive`, `ColdArchive` or `DeepColdArchive`.
    public static let storageClass = "x-oss-storage-class"
    /// The object ACL on PutObject, Copy, Complete and `PUT ?acl`.
    public static let objectACL = "x-oss-object-acl"
    /// The bucket ACL on PutBucket.
    public static let bucketACL = "x-oss-acl"
    /// `true` makes writes fail with `FileAlreadyExists` when the key exists.
    public static let forbidOverwrite = "x-oss-forbid-overwrite"
    /// The source of CopyObject and UploadPartCopy: `/bucket/key`, URL-encoded.
    public static let copySource = "x-oss-copy-source"
    /// Copy only if the source's ETag matches (else 412 `PreconditionFailed`).
    public static let copySourceIfMatch = "x-oss-copy-source-if-match"
    /// Copy only if the source's ETag differs (else 412 `PreconditionFailed`).
    public static let copySourceIfNoneMatch = "x-oss-copy-source-if-none-match"
    /// Copy only if the source changed after this HTTP date (else 412 `PreconditionFailed`).
    public static let copySourceIfModifiedSince = "x-oss-copy-source-if-modified-since"
    /// Copy only if the source did not change after this HTTP date (else 412 `PreconditionFailed`).
    public static let copySourceIfUnmodifiedSince = "x-oss-copy-source-if-unmodified-since"
    /// The byte range of UploadPartCopy: `bytes=a-b`.
    public static let copySourceRange = "x-oss-copy-source-range"
    /// `COPY` or `REPLACE` for CopyObject metadata.
    public static let metadataDirective = "x-oss-metadata-directive"
    /// `COPY` or `REPLACE` for CopyObject tags.
    public static let taggingDirective = "x-oss-tagging-directive"
    /// Object tags on writes: `k1=v1&k2=v2`, URL-encoded.
    public static let tagging = "x-oss-tagging"
    /// The number of tags, on GET and HEAD.
    public static let taggingCount = "x-oss-tagging-count"
    /// `standard` switches range errors from "whole object" to 416.
    public static let rangeBehavior = "x-oss-range-behavior"
    /// The target of a symlink, on `PUT ?symlink` and `GET ?symlink`.
    public static let symlinkTarget = "x-oss-symlink-target"
    /// The last access time GetObjectMeta may report, as an HTTP date.
    public static let lastAccessTime = "x-oss-last-access-time"
    /// The version a write created, or a read or delete addressed, in a bucket with versioning
    /// (`null` for the version a suspended bucket writes); absent where versioning was never on.
    public static let versionID = "x-oss-version-id"
    /// `true` on a DeleteObject that created or removed a delete marker, and on a read that
    /// found one instead of an object.
    public static let deleteMarker = "x-oss-delete-marker"
    /// The version of the source a CopyObject or UploadPartCopy read.
    public static let copySourceVersionID = "x-oss-copy-source-version-id"
    /// `yes` completes a multipart upload with every uploaded part (v2, no body).
    public static let completeAll = "x-oss-complete-all"
}
