import HTTPTypes
import OSSProtocol

/// The OSS headers the server writes, as `HTTPField.Name`s; the spellings live in ``OSSHeader``.
extension HTTPField.Name {
    static let ossRequestID = Self(OSSHeader.requestID)!
    static let ossError = Self(OSSHeader.error)!
    static let ossEC = Self(OSSHeader.errorCode)!
    static let ossCRC64 = Self(OSSHeader.crc64)!
    static let ossObjectType = Self(OSSHeader.objectType)!
    static let ossStorageClass = Self(OSSHeader.storageClass)!
    static let ossSealedTime = Self(OSSHeader.sealedTime)!
    static let ossRestore = Self(OSSHeader.restore)!
    static let ossVersionID = Self(OSSHeader.versionID)!
    static let ossDeleteMarker = Self(OSSHeader.deleteMarker)!
    static let ossCopySourceVersionID = Self(OSSHeader.copySourceVersionID)!
    static let ossNextAppendPosition = Self(OSSHeader.nextAppendPosition)!
    static let ossSymlinkTarget = Self(OSSHeader.symlinkTarget)!
    static let ossTaggingCount = Self(OSSHeader.taggingCount)!
    static let contentMD5 = Self("Content-MD5")!
}
