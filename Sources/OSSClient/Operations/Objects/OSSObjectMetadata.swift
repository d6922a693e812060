import Foundation
import NIOHTTP1
import OSSProtocol

/// What HEAD and GET report about an object (§3.6).
public struct OSSObjectMetadata: Sendable, Hashable {
    /// The whole object's size in bytes (`Content-Length` of HEAD; of a GET, the bytes served).
    public var contentLength: Int64
    /// `Content-Type`.
    public var contentType: String?
    /// The ETag, quoted as the server sent it.
    public var etag: String
    /// `Last-Modified`.
    public var lastModified: Date?
    /// The CRC-64/XZ of the **whole object**, also on ranged reads; `nil` when the server has none.
    public var crc64: UInt64?
    /// `x-oss-object-type`; `nil` when absent or not one this SDK knows.
    public var objectType: OSSObjectType?
    /// `x-oss-storage-class`.
    public var storageClass: OSSStorageClass?
    /// `Content-MD5` (Normal objects).
    public var contentMD5: String?
    /// `Cache-Control`.
    public var cacheControl: String?
    /// `Content-Disposition`.
    public var contentDisposition: String?
    /// `Content-Encoding`.
    public var contentEncoding: String?
    /// `Content-Language`.
    public var contentLanguage: String?
    /// When SealAppendObject sealed the object (`x-oss-sealed-time`); `nil` when unsealed.
    public var sealedTime: Date?
    /// The restore state of an archived object (`x-oss-restore`): `ongoing-request="true"`, or
    /// `ongoing-request="false", expiry-date="…"` once readable; `nil` when not restored.
    public var restore: String?
    /// `Expires`.
    public var expires: String?
    /// User metadata (`x-oss-meta-*`), names lower-cased and without the prefix.
    public var metadata: [String: String]
    /// The request id, for support.
    public var requestID: String?
    /// The version read, in a bucket with versioning (`null` for the null version).
    public var versionID: String?

    init(headers: HTTPHeaders) throws(OSSClientError) {
        let header = { (name: String) in headers.first(name: name) }
        contentLength = header("Content-Length").flatMap { Int64($0) } ?? 0
        contentType = header("Content-Type")
        etag = header("ETag") ?? ""
        lastModified = header("Last-Modified").flatMap(OSSDateFormat.date(httpDate:))
        if let text = header(OSSHeader.crc64) {
            guard let value = UInt64(text) else {
                throw .invalidResponse("\(OSSHeader.crc64) is not an unsigned decimal: \(text)")
            }
            crc64 = value
        }
        objectType = header(OSSHeader.objectType).flatMap(OSSObjectType.init(rawValue:))
        storageClass = header(OSSHeader.storageClass).map(OSSStorageClass.init(rawValue:))
        contentMD5 = header("Content-MD5")
        cacheControl = header("Cache-Control")
        contentDisposition = header("Content-Disposition")
        contentEncoding = header("Content-Encoding")
        contentLanguage = header("Content-Language")
        sealedTime = header(OSSHeader.sealedTime).flatMap(OSSDateFormat.date(httpDate:))
        restore = header(OSSHeader.restore)
        expires = header("Expires")
        requestID = header(OSSHeader.requestID)
        versionID = header(OSSHeader.versionID)
        var metadata: [String: String] = [:]
        for (name, value) in headers where name.lowercased().hasPrefix(OSSHeader.metaPrefix) {
            metadata[String(name.lowercased().dropFirst(OSSHeader.metaPrefix.count))] = value
        }
        self.metadata = metadata
    }
}

/// GetObjectMeta: the light-weight metadata of an object (§3.6).
public struct OSSObjectMeta: Sendable, Hashable {
    /// The object's size.
    public var size: Int64
    /// The ETag, quoted.
    public var etag: String
    /// `Last-Modified`.
    public var lastModified: Date?
    /// The whole object's CRC-64/XZ, when known.
    public var crc64: UInt64?
    /// `x-oss-last-access-time`, when the server reports it.
    public var lastAccessTime: Date?
}
