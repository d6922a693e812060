import OSSProtocol

extension StorageError {
    /// The OSS error a client sees for a storage failure (§5.2) of a request with `method`.
    func ossError(method: String = "GET") -> OSSError {
        switch self {
        case .noSuchBucket(let bucket): .noSuchBucket(bucket)
        case .noSuchKey(_, let key): .noSuchKey(key)
        case .noSuchUpload(_, _, let uploadID): .noSuchUpload(uploadID)
        case .noSuchVersion(_, let key, let versionID): .noSuchVersion(key: key, versionID: versionID)
        case .invalidVersionID(let versionID): .invalidVersionID(versionID)
        case .deleteMarker(_, let key, let versionID, let addressed):
            .deleteMarker(key: key, versionID: versionID, addressed: addressed, method: method)
        case .bucketAlreadyExists(let bucket): .bucketAlreadyExists(bucket)
        case .bucketNotEmpty(let bucket): .bucketNotEmpty(bucket)
        case .invalidDigest: OSSError(code: "InvalidDigest", status: 400, message: "The Content-MD5 you specified did not match what we received.")
        case .crcMismatch(let expected, let actual): .declaredCRCMismatch(declared: expected, computed: actual)
        case .checksumMismatch(let algorithm): S3Errors.badChecksum(algorithm)
        case .incompleteBody(let expected, let received):
            OSSError(
                code: "IncompleteBody", status: 400,
                message: "The request body ended after \(received) of \(expected) bytes; nothing was stored.")
        case .entityTooLarge: .entityTooLarge()
        case .invalidPart(let partNumber): .invalidPart(partNumber: partNumber)
        case .damagedPart(let partNumber, _):
            OSSError(
                code: "InvalidPart", status: 400,
                message: "Part \(partNumber)'s stored bytes were found damaged when they were checked at rest; upload the part again.",
                details: [("PartNumber", String(partNumber))])
        case .invalidPartOrder: .invalidPartOrder()
        case .entityTooSmall: .entityTooSmall()
        case .fileAlreadyExists: .fileAlreadyExists()
        case .invalidArgument(let message): .invalidArgument(message)
        case .noSuchUser, .userAlreadyExists, .noSuchAccessKey, .userOwnsBuckets: .invalidArgument(description)
        case .corruptObject(_, let key, let reason): .damagedObject(key: key, reason: reason)
        case .dataDirectoryInUse, .io, .metadata: .internalError()
        case .backend(_, _, let unavailable, _): unavailable ? .serviceUnavailable() : .internalError()
        case .positionNotEqualToLength(_, _, let length, let crc64):
            // oss2 reads x-oss-next-append-position in its exception; the CRC lets a client
            // resume without a HEAD (§6.4).
            .positionNotEqualToLength(nextPosition: Int64(length), crc64: crc64)
        case .objectNotAppendable: .objectNotAppendable()
        case .objectSealed: .appendSealedObjectNotAllowed()
        case .objectArchived: .invalidObjectState()
        case .restoreAlreadyInProgress: .restoreAlreadyInProgress()
        case .operationNotSupported: .operationNotSupported()
        case .symlinkTargetNotExist(_, _, let target): .symlinkTargetNotExist(target)
        case .notSymlink(_, let key): .notSymlink(key)
        case .copySourceConditionFailed(_, _, let condition):
            // 304 for the none-match and modified-since forms, as OSS answers CopyObject and
            // UploadPartCopy and the SDKs read it; 412 for the others.
            .conditionFailed(condition, in: .copySource)
        }
    }
}
