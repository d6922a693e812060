// Constructors for the codes of §5.2 other than authentication, with OSS-like messages and the
// children that name the resource at fault.
extension OSSError {
    /// 400 `InvalidBucketName`: not 3–63 characters of `a-z0-9-` with alphanumeric ends.
    public static func invalidBucketName(_ name: String) -> OSSError {
        OSSError(
            code: "InvalidBucketName", status: 400,
            message: "The specified bucket is not valid.", details: [("BucketName", name)])
    }

    /// 400 `InvalidObjectName`: an empty or too long key, a leading `/` or `\`, or bad UTF-8.
    public static func invalidObjectName(_ key: String, reason: String? = nil) -> OSSError {
        OSSError(
            code: "InvalidObjectName", status: 400,
            message: reason.map { "The specified object is not valid: \($0)" } ?? "The specified object is not valid.",
            details: [("ObjectName", key)])
    }

    /// 400 `InvalidDigest`: `Content-MD5` is malformed or does not match the body.
    public static func invalidDigest(_ contentMD5: String) -> OSSError {
        OSSError(
            code: "InvalidDigest", status: 400,
            message: "The Content-MD5 you specified is not valid or did not match what we received.",
            details: [("Content-MD5", contentMD5)])
    }

    /// 400 `MalformedXML`: a request body that is not well-formed or not the expected document.
    public static func malformedXML(_ reason: String? = nil) -> OSSError {
        let base = "The XML you provided was not well-formed or did not validate against our published schema."
        return OSSError(code: "MalformedXML", status: 400, message: reason.map { base + " " + $0 } ?? base)
    }

    /// 404 `NoSuchBucketPolicy`: GetBucketPolicy on a bucket without one.
    public static func noSuchBucketPolicy(_ bucket: String) -> OSSError {
        OSSError(
            code: "NoSuchBucketPolicy", status: 404, message: "The bucket policy does not exist.",
            details: [("BucketName", bucket)])
    }

    /// 403 `AccessDenied` because a Deny statement of the bucket policy applies.
    public static func deniedByBucketPolicy() -> OSSError {
        .accessDenied("You have no right to access this object because of bucket policy.")
    }

    /// 400 `EntityTooLarge`: the upload exceeds the maximum size (5 GB for one request).
    public static func entityTooLarge() -> OSSError {
        OSSError(code: "EntityTooLarge", status: 400, message: "Your proposed upload exceeds the maximum allowed size.")
    }

    /// 400 `EntityTooSmall`: a non-last part under 100 KiB at Complete (EC 0042-00000213).
    public static func entityTooSmall() -> OSSError {
        OSSError(
            code: "EntityTooSmall", status: 400,
            message: "Your proposed upload is smaller than the minimum allowed size.",
            details: [("EC", "0042-00000213")])
    }

    /// 400 `InvalidPart`: a listed part is missing or its ETag does not match.
    public static func invalidPart(partNumber: Int? = nil) -> OSSError {
        OSSError(
            code: "InvalidPart", status: 400,
            message: "One or more of the specified parts could not be found or the specified entity tag "
                + "might not have matched the part's entity tag.",
            details: partNumber.map { [("PartNumber", String($0))] } ?? [])
    }

    /// 400 `InvalidPartOrder`: part numbers at Complete are not strictly ascending (EC 0042-00000209).
    public static func invalidPartOrder() -> OSSError {
        OSSError(
            code: "InvalidPartOrder", status: 400,
            message: "The list of parts was not in ascending order. Parts must be ordered by part number.",
            details: [("EC", "0042-00000209")])
    }

    /// 400 `NotImplemented`: a header asks for something OSS does not do here, such as `If-Match`
    /// on PutObject (EC 0017-00000245). oss2 maps this code at 400, not 501.
    public static func notImplemented(header: String) -> OSSError {
        OSSError(
            code: "NotImplemented", status: 400,
            message: "A header you provided implies functionality that is not implemented.",
            details: [("Header", header), ("EC", "0017-00000245")])
    }

    /// 400 `InvalidRequest`: a request that is well-formed but not allowed in this combination.
    public static func invalidRequest(_ message: String) -> OSSError {
        OSSError(code: "InvalidRequest", status: 400, message: message)
    }

    /// 400 `TooManyBuckets`: the bucket limit is reached.
    public static func tooManyBuckets() -> OSSError {
        OSSError(code: "TooManyBuckets", status: 400, message: "You have attempted to create more buckets than allowed.")
    }

    /// 404 `NoSuchBucket`.
    public static func noSuchBucket(_ bucket: String) -> OSSError {
        OSSError(
            code: "NoSuchBucket", status: 404,
            message: "The specified bucket does not exist.", details: [("BucketName", bucket), ("EC", "0015-00000101")])
    }

    /// 404 `NoSuchKey`.
    public static func noSuchKey(_ key: String) -> OSSError {
        OSSError(
            code: "NoSuchKey", status: 404, message: "The specified key does not exist.",
            details: [("Key", key), ("EC", "0026-00000001")])
    }

    /// 404 `NoSuchLifecycle`: GetBucketLifecycle on a bucket without lifecycle rules.
    public static func noSuchLifecycle(bucket: String) -> OSSError {
        OSSError(
            code: "NoSuchLifecycle", status: 404, message: "No Row found in Lifecycle Table.",
            details: [("BucketName", bucket)])
    }

    /// 404 `NoSuchWebsiteConfiguration`: GetBucketWebsite on a bucket without one.
    public static func noSuchWebsiteConfiguration(bucket: String) -> OSSError {
        OSSError(
            code: "NoSuchWebsiteConfiguration", status: 404,
            message: "The specified bucket does not have a website configuration.", details: [("BucketName", bucket)])
    }

    /// 400 `InvalidTargetBucketForLogging`: PutBucketLogging names a bucket that does not exist.
    public static func invalidTargetBucketForLogging(_ bucket: String) -> OSSError {
        OSSError(
            code: "InvalidTargetBucketForLogging", status: 400, message: "The target bucket for logging does not exist.",
            details: [("TargetBucket", bucket)])
    }

    /// 403 `AccessDenied` of hotlink protection.
    public static func refererDenied() -> OSSError {
        accessDenied("You are denied by bucket referer policy.")
    }

    /// 404 `NoSuchVersion`: the key has no version with this id (any more).
    public static func noSuchVersion(key: String, versionID: String) -> OSSError {
        OSSError(
            code: "NoSuchVersion", status: 404, message: "The specified version does not exist.",
            details: [("Key", key), ("VersionId", versionID)])
    }

    /// What a read that found a delete marker answers: 404 `NoSuchKey` when the marker is the
    /// key's latest version, 405 `MethodNotAllowed` (resource type `DeleteMarker`, `Allow:
    /// DELETE`) when the request named it by its version id; both with `x-oss-delete-marker:
    /// true` and the marker's `x-oss-version-id`.
    public static func deleteMarker(key: String, versionID: String, addressed: Bool, method: String) -> OSSError {
        var error = addressed ? methodNotAllowed(method: method, resourceType: "DeleteMarker") : noSuchKey(key)
        error.headers = [(OSSHeader.deleteMarker, "true"), (OSSHeader.versionID, versionID)]
        if addressed { error.headers.append(("Allow", "DELETE")) }
        return error
    }

    /// 400 `InvalidArgument` for a version id that is neither `null` nor one the server gave.
    public static func invalidVersionID(_ versionID: String) -> OSSError {
        invalidArgument("Invalid version id specified", name: "versionId", value: versionID)
    }

    /// 404 `NoSuchUpload`: unknown, aborted or completed upload id.
    public static func noSuchUpload(_ uploadID: String) -> OSSError {
        OSSError(
            code: "NoSuchUpload", status: 404,
            message: "The specified upload does not exist. The upload ID may be invalid, "
                + "or the upload may have been aborted or completed.",
            details: [("UploadId", uploadID)])
    }

    /// 404 `SymlinkTargetNotExist`: a GET or HEAD through a dangling symlink (EC 0026-00000012).
    public static func symlinkTargetNotExist(_ target: String) -> OSSError {
        OSSError(
            code: "SymlinkTargetNotExist", status: 404,
            message: "The symlink target object does not exist.",
            details: [("TargetObject", target), ("EC", "0026-00000012")])
    }

    /// 400 `NotSymlink`: `?symlink` on an object that is not a symlink (EC 0043-00000101).
    public static func notSymlink(_ key: String) -> OSSError {
        OSSError(
            code: "NotSymlink", status: 400,
            message: "The specified object is not a symlink.", details: [("Key", key), ("EC", "0043-00000101")])
    }

    /// 405 `MethodNotAllowed`: the verb is not valid on this resource.
    public static func methodNotAllowed(method: String, resourceType: String) -> OSSError {
        OSSError(
            code: "MethodNotAllowed", status: 405,
            message: "The specified method is not allowed against this resource.",
            details: [("Method", method), ("ResourceType", resourceType)])
    }

    /// 409 `BucketAlreadyExists`.
    public static func bucketAlreadyExists(_ bucket: String) -> OSSError {
        OSSError(
            code: "BucketAlreadyExists", status: 409,
            message: "The requested bucket name is not available. Please select a different name and try again.",
            details: [("BucketName", bucket)])
    }

    /// 409 `BucketNotEmpty`: objects or unfinished multipart uploads remain.
    public static func bucketNotEmpty(_ bucket: String) -> OSSError {
        OSSError(
            code: "BucketNotEmpty", status: 409,
            message: "The bucket you tried to delete is not empty.", details: [("BucketName", bucket)])
    }

    /// 409 `PositionNotEqualToLength` plus the `x-oss-next-append-position` header that oss2 needs
    /// to raise its specific exception (EC 0026-00000016).
    ///
    /// - Parameters:
    ///   - nextPosition: the object's current length.
    ///   - crc64: the object's current CRC-64, sent so that a client can resume without a HEAD.
    public static func positionNotEqualToLength(nextPosition: Int64, crc64: UInt64? = nil) -> OSSError {
        var headers: [(name: String, value: String)] = [(OSSHeader.nextAppendPosition, String(nextPosition))]
        if let crc64 { headers.append((OSSHeader.crc64, String(crc64))) }
        return OSSError(
            code: "PositionNotEqualToLength", status: 409,
            message: "Position is not equal to file length.",
            details: [("EC", "0026-00000016")], headers: headers)
    }

    /// 409 `ObjectNotAppendable`: append to a Normal, Multipart or Symlink object.
    public static func objectNotAppendable() -> OSSError {
        OSSError(code: "ObjectNotAppendable", status: 409, message: "The object is not appendable.")
    }

    /// 403 `InvalidObjectState`: a read or copy of an archived object that is not restored.
    public static func invalidObjectState() -> OSSError {
        OSSError(code: "InvalidObjectState", status: 403, message: "The operation is not valid for the object's state.")
    }

    /// 409 `RestoreAlreadyInProgress`: RestoreObject while an earlier restore runs.
    public static func restoreAlreadyInProgress() -> OSSError {
        OSSError(code: "RestoreAlreadyInProgress", status: 409, message: "The restore operation is in progress.")
    }

    /// 400 `OperationNotSupported`, in OSS's words (RestoreObject of an object outside the archive
    /// classes, for one).
    public static func operationNotSupported() -> OSSError {
        OSSError(code: "OperationNotSupported", status: 400, message: "The operation is not supported for this resource.")
    }

    /// 409 `AppendSealedObjectNotAllowed`: append to an object that SealAppendObject sealed.
    public static func appendSealedObjectNotAllowed() -> OSSError {
        OSSError(
            code: "AppendSealedObjectNotAllowed", status: 409, message: "The object is sealed and cannot be appended.")
    }

    /// 409 `FileAlreadyExists`: `x-oss-forbid-overwrite: true` and the key exists (EC 0026-00000002).
    public static func fileAlreadyExists() -> OSSError {
        OSSError(
            code: "FileAlreadyExists", status: 409,
            message: "The object you specified already exists and can not be overwritten.",
            details: [("EC", "0026-00000002")])
    }

    /// 411 `MissingContentLength`: neither `Content-Length` nor chunked encoding.
    public static func missingContentLength() -> OSSError {
        OSSError(code: "MissingContentLength", status: 411, message: "You must provide the Content-Length HTTP header.")
    }

    /// 412 `PreconditionFailed`, naming the condition header that failed.
    /// 400 `MissingArgument`: a required header or parameter is absent (PutObjectACL without
    /// `x-oss-object-acl`, for one).
    public static func missingArgument(_ name: String) -> OSSError {
        OSSError(
            code: "MissingArgument", status: 400, message: "Missing Some Required Arguments.",
            details: [("ArgumentName", name)])
    }

    /// An `x-oss-acl` that is not a bucket ACL, in OSS's words and EC (which the SDKs' tests compare).
    public static func invalidBucketACL(_ value: String) -> OSSError {
        .invalidArgument("no such bucket access control exists", name: OSSHeader.bucketACL, value: value, ec: "0015-00000204")
    }

    /// An `x-oss-object-acl` that is not an object ACL, in OSS's words and EC.
    public static func invalidObjectACL(_ value: String) -> OSSError {
        .invalidArgument("no such object access control exists", name: OSSHeader.objectACL, value: value, ec: "0017-00000104")
    }

    /// A bucket's `StorageClass` that is not one of ``OSSStorageClass/known``, in OSS's words and EC.
    public static func invalidBucketStorageClass(_ value: String) -> OSSError {
        .invalidArgument("No such bucket storage class exists.", name: "StorageClass", value: value, ec: "0013-00000101")
    }

    /// 304 for a failed `If-None-Match` or `If-Modified-Since` (and their copy-source forms):
    /// the object is as the client already has it. Sent without a body, as HTTP requires.
    public static func notModified() -> OSSError {
        OSSError(code: "NotModified", status: 304, message: "Not Modified")
    }

    /// A failed condition that decides whether an operation may run: 304 ``notModified()`` for the
    /// none-match and modified-since forms, 412 ``preconditionFailed(condition:)`` otherwise.
    package static func conditionFailed(_ condition: OSSConditions.Condition, in headers: OSSConditions.Headers)
        -> OSSError
    {
        condition.meansNotModified ? .notModified() : .preconditionFailed(condition: condition.headerName(in: headers))
    }

    public static func preconditionFailed(condition: String) -> OSSError {
        OSSError(
            code: "PreconditionFailed", status: 412,
            message: "At least one of the pre-conditions you specified did not hold.",
            details: [("Condition", condition)])
    }

    /// 416 `InvalidRange` (only with `x-oss-range-behavior: standard`), with `Content-Range: bytes */size`.
    public static func invalidRange(requested: String, objectSize: Int64) -> OSSError {
        OSSError(
            code: "InvalidRange", status: 416,
            message: "The requested range cannot be satisfied.",
            details: [("RangeRequested", requested), ("ActualObjectSize", String(objectSize))],
            headers: [("Content-Range", "bytes */\(objectSize)")])
    }

    /// 400 `InvalidDigest` for a body whose CRC-64 differs from the one the client declared in
    /// `x-oss-hash-crc64ecma`: nothing was stored. `ClientCRC` and `ServerCRC` carry both values,
    /// so a client can report the fault as the CRC mismatch it is (``declaredCRCMismatch``).
    public static func declaredCRCMismatch(declared: UInt64, computed: UInt64) -> OSSError {
        OSSError(
            code: "InvalidDigest", status: 400,
            message: "The x-oss-hash-crc64ecma you specified (\(declared)) did not match the body's CRC-64 (\(computed)); nothing was stored.",
            details: [(name: "ClientCRC", value: String(declared)), (name: "ServerCRC", value: String(computed))])
    }

    /// The declared and computed CRC-64 of a ``declaredCRCMismatch(declared:computed:)`` error;
    /// `nil` for any other error.
    public var declaredCRCMismatch: (declared: UInt64, computed: UInt64)? {
        guard code == "InvalidDigest", let declared = detail("ClientCRC").flatMap(UInt64.init),
              let computed = detail("ServerCRC").flatMap(UInt64.init)
        else { return nil }
        return (declared, computed)
    }

    /// The element of a ``damagedObject(key:reason:)`` error that names what failed.
    public static let damagedObjectElement = "DamagedObject"

    /// 500 `InternalError` for stored bytes that failed their CRC-64 check: the server refuses to
    /// send (or copy) them. `DamagedObject` says which block failed and both CRCs, so clients can
    /// tell rot at rest from a passing fault and not retry it.
    public static func damagedObject(key: String, reason: String) -> OSSError {
        OSSError(
            code: "InternalError", status: 500,
            message: "The stored object failed its CRC-64 check and is not served: restore it from a copy.",
            details: [("Key", key), (damagedObjectElement, reason)])
    }

    /// Whether this is a ``damagedObject(key:reason:)`` error.
    public var isDamagedObject: Bool { detail(Self.damagedObjectElement) != nil }

    /// 503 `ServiceUnavailable`: a store the server depends on (metadata database, blob
    /// backend) did not answer; both SDKs retry it.
    public static func serviceUnavailable(_ message: String = "Please reduce your request rate or try again later.") -> OSSError {
        OSSError(code: "ServiceUnavailable", status: 503, message: message)
    }

    /// 500 `InternalError`; v2 retries any status ≥ 500.
    public static func internalError(_ message: String = "We encountered an internal error. Please try again.") -> OSSError {
        OSSError(code: "InternalError", status: 500, message: message)
    }
}
