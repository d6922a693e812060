import Foundation
import OSSProtocol

/// Why a storage operation failed: the one error type of the storage seam, thrown with typed
/// throws by the engine and by every metadata backend.
///
/// Each case carries what the HTTP layer needs to render the matching OSS error (the bucket, the
/// key, the part number, the digests involved), and nothing HTTP-specific: mapping to a status and
/// an OSS `Code` happens there, in one switch. Whenever an operation throws, nothing it was
/// writing became visible.
enum StorageError: Error, Sendable, Equatable {
    /// The bucket does not exist (OSS `NoSuchBucket`).
    case noSuchBucket(bucket: String)
    /// The object does not exist (OSS `NoSuchKey`).
    case noSuchKey(bucket: String, key: String)
    /// The bucket has no version of the key with this id (OSS `NoSuchVersion`).
    case noSuchVersion(bucket: String, key: String, versionID: String)
    /// A version id this server never hands out: neither `null` nor one of its ids (OSS
    /// `InvalidArgument`, 400).
    case invalidVersionID(String)
    /// A read found a delete marker instead of an object: the key's latest version is one
    /// (`addressed` false: OSS `NoSuchKey`, 404), or the request named one by its version id
    /// (`addressed` true: OSS `MethodNotAllowed`, 405). Either way the answer carries
    /// `x-oss-delete-marker: true` and the marker's version id.
    case deleteMarker(bucket: String, key: String, versionID: String, addressed: Bool)
    /// The multipart upload does not exist, was completed or was aborted (OSS `NoSuchUpload`).
    case noSuchUpload(bucket: String, key: String, uploadID: String)
    /// A bucket of that name exists already (OSS `BucketAlreadyExists`).
    case bucketAlreadyExists(bucket: String)
    /// The bucket still holds objects or unfinished multipart uploads (OSS `BucketNotEmpty`).
    case bucketNotEmpty(bucket: String)
    /// The body's MD5 differs from the `Content-MD5` the client sent (OSS `InvalidDigest`).
    case invalidDigest(expected: [UInt8], actual: [UInt8])
    /// The body's CRC-64 differs from the `x-oss-hash-crc64ecma` the client sent.
    case crcMismatch(expected: UInt64, actual: UInt64)
    /// The whole-object checksum an S3 client sent to Complete differs from the one combined
    /// from the parts (S3 `BadDigest`).
    case checksumMismatch(algorithm: String)
    /// The body ended before (or went past) the length the client declared: the client most
    /// likely disconnected mid-upload.
    case incompleteBody(expected: Int, received: Int)
    /// The body is larger than the limit for this kind of write (OSS `EntityTooLarge`).
    case entityTooLarge(size: Int, limit: Int)
    /// A part listed in Complete was never uploaded, or its ETag differs (OSS `InvalidPart`).
    case invalidPart(partNumber: Int)
    /// A part to complete was found damaged by the scrubber (OSS `InvalidPart`, saying so): it
    /// must be uploaded again.
    case damagedPart(partNumber: Int, reason: String)
    /// The parts listed in Complete are not in strictly ascending order (OSS `InvalidPartOrder`).
    case invalidPartOrder
    /// A part other than the last is smaller than the minimum part size (OSS `EntityTooSmall`).
    case entityTooSmall(partNumber: Int, size: Int, minimum: Int)
    /// The key exists and the write forbade overwriting it (OSS `FileAlreadyExists`).
    case fileAlreadyExists(bucket: String, key: String)
    /// A stored object no longer matches its stored CRC-64, or one of its blob files is shorter
    /// than recorded: bit rot or tampering on disk. Reported by readers before their last chunk.
    case corruptObject(bucket: String, key: String, reason: String)
    // MARK: Refusals because of an object's state

    /// AppendObject's position is not the object's length: OSS `PositionNotEqualToLength` (409) with
    /// `x-oss-next-append-position: length` and, as §6.4 suggests, `x-oss-hash-crc64ecma: crc64`,
    /// so that a client can resume without a HEAD. For a missing key both are 0.
    case positionNotEqualToLength(bucket: String, key: String, length: Int, crc64: UInt64)
    /// AppendObject on a Normal, Multipart or Symlink object: OSS `ObjectNotAppendable` (409).
    case objectNotAppendable(bucket: String, key: String, type: OSSObjectType)
    /// AppendObject on a sealed Appendable object: OSS `AppendSealedObjectNotAllowed` (409).
    case objectSealed(bucket: String, key: String)
    /// A read or copy of an archived object that is not restored: OSS `InvalidObjectState` (403).
    case objectArchived(bucket: String, key: String)
    /// RestoreObject while an earlier restore runs: OSS `RestoreAlreadyInProgress` (409).
    case restoreAlreadyInProgress(bucket: String, key: String)
    /// An operation that does not apply to this object: OSS `OperationNotSupported` (400).
    case operationNotSupported(String)
    /// A read through a symlink whose target does not exist, or is itself a symlink (OSS follows
    /// one level): OSS `SymlinkTargetNotExist` (404).
    case symlinkTargetNotExist(bucket: String, key: String, target: String)
    /// GetSymlink on an object that is not a symlink: OSS `NotSymlink` (400).
    case notSymlink(bucket: String, key: String)
    /// A CopyObject source condition (`x-oss-copy-source-if-*`) failed on the source object:
    /// `PreconditionFailed` (412) for `ifMatch` and `ifUnmodifiedSince`; for `ifNoneMatch` and
    /// `ifModifiedSince` OSS documents 304 and S3 answers 412 (§3.5, not re-verified).
    case copySourceConditionFailed(bucket: String, key: String, condition: OSSConditions.Condition)

    // MARK: Users and keys (admin commands)

    /// No user has this name.
    case noSuchUser(name: String)
    /// A user of this name exists already.
    case userAlreadyExists(name: String)
    /// No user has an access key with this id.
    case noSuchAccessKey(id: String)
    /// A user that still owns buckets cannot be deleted.
    case userOwnsBuckets(name: String, count: Int)

    // MARK: Faults

    /// A caller passed a value storage cannot accept (a part number out of range, an empty part
    /// list, a byte range outside the object).
    case invalidArgument(String)
    /// Another process (or another `ObjectStorage` in this one) has the data directory open.
    case dataDirectoryInUse(path: String)
    /// A file-system call failed.
    case io(operation: String, path: String, errno: Int32)
    /// The metadata database failed; `detail` is the database's own message.
    case metadata(detail: String)
    /// The blob backend (an S3-compatible store) failed or refused `operation`; `unavailable`
    /// when it could not be reached or answered 5xx, so the request may be retried.
    /// `retriable` when trying the same request again may succeed (no answer, or 500/502/503/504).
    case backend(operation: String, detail: String, unavailable: Bool, retriable: Bool = false)
}

extension StorageError: CustomStringConvertible {
    var description: String {
        switch self {
        case .noSuchBucket(let bucket):
            "bucket '\(bucket)' does not exist: create it first"
        case .noSuchKey(let bucket, let key):
            "object '\(key)' does not exist in bucket '\(bucket)'"
        case .noSuchVersion(let bucket, let key, let versionID):
            "object '\(key)' has no version '\(versionID)' in bucket '\(bucket)'"
        case .invalidVersionID(let versionID):
            "'\(versionID)' is not a version id: use the id a write, ListObjectVersions or a delete returned"
        case .deleteMarker(let bucket, let key, let versionID, let addressed):
            addressed
                ? "version '\(versionID)' of '\(bucket)/\(key)' is a delete marker, which has no content"
                : "object '\(key)' was deleted from bucket '\(bucket)' (delete marker '\(versionID)'): read an earlier version by its id"
        case .noSuchUpload(let bucket, let key, let uploadID):
            "multipart upload '\(uploadID)' for '\(bucket)/\(key)' does not exist: it was completed, aborted or never initiated"
        case .bucketAlreadyExists(let bucket):
            "bucket '\(bucket)' exists already: choose another name"
        case .bucketNotEmpty(let bucket):
            "bucket '\(bucket)' still holds objects or unfinished multipart uploads: delete or abort them first"
        case .invalidDigest(let expected, let actual):
            "body MD5 is \(Data(actual).base64EncodedString()) but Content-MD5 said \(Data(expected).base64EncodedString()): resend the body"
        case .checksumMismatch(let algorithm):
            "the object's \(algorithm) combined from its parts is not the one the client sent"
        case .crcMismatch(let expected, let actual):
            "body CRC-64 is \(actual) but the client declared \(expected): the body was damaged in transit, resend it"
        case .incompleteBody(let expected, let received):
            "received \(received) body bytes but \(expected) were declared: resend the whole body"
        case .entityTooLarge(let size, let limit):
            "body of at least \(size) bytes exceeds the limit of \(limit) bytes: use a multipart upload"
        case .invalidPart(let partNumber):
            "part \(partNumber) was not uploaded or its ETag differs: list the parts and complete with their ETags"
        case .damagedPart(let partNumber, let reason):
            "part \(partNumber)'s stored bytes were found damaged by the scrubber (\(reason)): upload the part again, then complete"
        case .invalidPartOrder:
            "parts must be listed in strictly ascending part-number order"
        case .entityTooSmall(let partNumber, let size, let minimum):
            "part \(partNumber) has \(size) bytes but every part except the last needs at least \(minimum)"
        case .fileAlreadyExists(let bucket, let key):
            "object '\(key)' exists in bucket '\(bucket)' and overwriting was forbidden"
        case .corruptObject(let bucket, let key, let reason):
            "stored object '\(bucket)/\(key)' is corrupt (\(reason)): restore it from a copy"
        case .invalidArgument(let message):
            message
        case .noSuchUser(let name):
            "there is no user '\(name)': `oss admin user list` shows the users"
        case .userAlreadyExists(let name):
            "a user named '\(name)' exists already: choose another name"
        case .noSuchAccessKey(let id):
            "there is no access key '\(id)': `oss admin key list USER` shows a user's keys"
        case .userOwnsBuckets(let name, let count):
            "user '\(name)' still owns \(count) bucket(s): delete them first (or disable the user instead)"
        case .dataDirectoryInUse(let path):
            "data directory \(path) is in use by another server: stop it or choose another directory"
        case .io(let operation, let path, let errno):
            "\(operation) failed on \(path): \(String(cString: strerror(errno))) (errno \(errno))"
        case .backend(let operation, let detail, _, _):
            "\(operation) failed: \(detail)"
        case .metadata(let detail):
            "metadata database error: \(detail)"
        case .positionNotEqualToLength(let bucket, let key, let length, let crc64):
            "append position differs from the length of '\(bucket)/\(key)', which is \(length) bytes "
                + "with CRC-64 \(crc64): append at \(length)"
        case .objectNotAppendable(let bucket, let key, let type):
            "object '\(bucket)/\(key)' is \(type.rawValue), and only Appendable objects accept appends: "
                + "delete it or append to another key"
        case .objectArchived(let bucket, let key):
            "object '\(bucket)/\(key)' is archived: restore it (RestoreObject) and read it once restored"
        case .restoreAlreadyInProgress(let bucket, let key):
            "a restore of '\(bucket)/\(key)' is already in progress"
        case .operationNotSupported(let detail):
            detail
        case .objectSealed(let bucket, let key):
            "object '\(bucket)/\(key)' is sealed and takes no more appends: write another key"
        case .symlinkTargetNotExist(let bucket, let key, let target):
            "symlink '\(bucket)/\(key)' points to '\(target)', which does not exist or is itself a symlink"
        case .notSymlink(let bucket, let key):
            "object '\(bucket)/\(key)' is not a symlink"
        case .copySourceConditionFailed(let bucket, let key, let condition):
            "copy source '\(bucket)/\(key)' does not satisfy \(condition.headerName(in: .copySource)): nothing was copied"
        }
    }
}
