import OSSProtocol

extension StorageError {
    /// The OSS error a client sees for a storage failure (§5.2).
    var ossError: OSSError {
        switch self {
        case .noSuchBucket(let bucket): .noSuchBucket(bucket)
        case .noSuchKey(_, let key): .noSuchKey(key)
        case .noSuchUpload(_, _, let uploadID): .noSuchUpload(uploadID)
        case .bucketAlreadyExists(let bucket): .bucketAlreadyExists(bucket)
        case .bucketNotEmpty(let bucket): .bucketNotEmpty(bucket)
        case .invalidDigest: OSSError(code: "InvalidDigest", status: 400, message: "The Content-MD5 you specified did not match what we received.")
        case .crcMismatch(let expected, let actual): .declaredCRCMismatch(declared: expected, computed: actual)
        case .incompleteBody(let expected, let received):
            OSSError(
                code: "IncompleteBody", status: 400,
                message: "The request body ended after \(received) of \(expected) bytes; nothing was stored.")
        case .entityTooLarge: .entityTooLarge()
        case .invalidPart(let partNumber): .invalidPart(partNumber: partNumber)
        case .invalidPartOrder: .invalidPartOrder()
        case .entityTooSmall: .entityTooSmall()
        case .fileAlreadyExists: .fileAlreadyExists()
        case .invalidArgument(let message): .invalidArgument(message)
        case .corruptObject(_, let key, let reason): .damagedObject(key: key, reason: reason)
        case .dataDirectoryInUse, .io, .metadata: .internalError()
        }
    }
}
