import OSSProtocol

extension ObjectStateError {
    /// The OSS error a client sees when an object's state refuses an operation (§3.5, §5.2).
    var ossError: OSSError {
        switch self {
        case .positionNotEqualToLength(_, _, let length, let crc64):
            // oss2 reads x-oss-next-append-position in its exception; the CRC lets a client
            // resume without a HEAD (§6.4).
            .positionNotEqualToLength(nextPosition: Int64(length), crc64: crc64)
        case .objectNotAppendable: .objectNotAppendable()
        case .symlinkTargetNotExist(_, _, let target): .symlinkTargetNotExist(target)
        case .notSymlink(_, let key): .notSymlink(key)
        case .copySourceConditionFailed(_, _, let condition):
            // OSS documents 304 for the none-match and modified-since forms; a 304 on a write has
            // no body for either SDK to report, so every failed copy condition is a 412 here, as
            // UploadPartCopy answers too.
            .preconditionFailed(condition: condition.headerName)
        }
    }
}
