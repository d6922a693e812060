/// Why storage refused an operation because of the state of an object: the request was well
/// formed, but the object at the key, its symlink target or the copy source does not allow it.
///
/// Each case carries what the HTTP layer needs for the matching OSS error (named in the case's
/// documentation) and nothing HTTP-specific. These are kept apart from ``StorageError`` so that an
/// exhaustive mapping of `StorageError` written before these operations existed stays exhaustive.
/// Whenever one is thrown, nothing changed.
enum ObjectStateError: Error, Sendable, Equatable {
    /// AppendObject's position is not the object's length: OSS `PositionNotEqualToLength` (409) with
    /// `x-oss-next-append-position: length` and, as §6.4 suggests, `x-oss-hash-crc64ecma: crc64`,
    /// so that a client can resume without a HEAD. For a missing key both are 0.
    case positionNotEqualToLength(bucket: String, key: String, length: Int, crc64: UInt64)
    /// AppendObject on a Normal, Multipart or Symlink object: OSS `ObjectNotAppendable` (409).
    case objectNotAppendable(bucket: String, key: String, type: ObjectType)
    /// A read through a symlink whose target does not exist, or is itself a symlink (OSS follows
    /// one level): OSS `SymlinkTargetNotExist` (404).
    case symlinkTargetNotExist(bucket: String, key: String, target: String)
    /// GetSymlink on an object that is not a symlink: OSS `NotSymlink` (400).
    case notSymlink(bucket: String, key: String)
    /// A CopyObject source condition (`x-oss-copy-source-if-*`) failed on the source object:
    /// `PreconditionFailed` (412) for `ifMatch` and `ifUnmodifiedSince`; for `ifNoneMatch` and
    /// `ifModifiedSince` OSS documents 304 and S3 answers 412 (§3.5, not re-verified).
    case copySourceConditionFailed(bucket: String, key: String, condition: CopySourceConditions.Condition)
}

extension ObjectStateError: CustomStringConvertible {
    var description: String {
        switch self {
        case .positionNotEqualToLength(let bucket, let key, let length, let crc64):
            "append position differs from the length of '\(bucket)/\(key)', which is \(length) bytes "
                + "with CRC-64 \(crc64): append at \(length)"
        case .objectNotAppendable(let bucket, let key, let type):
            "object '\(bucket)/\(key)' is \(type.rawValue), and only Appendable objects accept appends: "
                + "delete it or append to another key"
        case .symlinkTargetNotExist(let bucket, let key, let target):
            "symlink '\(bucket)/\(key)' points to '\(target)', which does not exist or is itself a symlink"
        case .notSymlink(let bucket, let key):
            "object '\(bucket)/\(key)' is not a symlink"
        case .copySourceConditionFailed(let bucket, let key, let condition):
            "copy source '\(bucket)/\(key)' does not satisfy \(condition.headerName): nothing was copied"
        }
    }
}
