import Foundation

/// PutObject: stores a whole object in one request (up to 5 GB; use ``OSSUploader`` beyond a
/// few tens of MiB, which splits into parts, runs them in parallel and can resume).
public struct OSSPutObjectRequest: Sendable {
    /// The bucket.
    public var bucket: String
    /// The object key.
    public var key: String
    /// The bytes to store.
    public var body: OSSUploadBody
    /// Content headers, metadata, ACL, storage class, overwrite protection.
    public var options: OSSObjectWriteOptions

    /// Creates a request.
    public init(bucket: String, key: String, body: OSSUploadBody, options: OSSObjectWriteOptions = .init()) {
        self.bucket = bucket
        self.key = key
        self.body = body
        self.options = options
    }
}

/// The outcome of PutObject.
public struct OSSPutObjectResult: Sendable, Hashable {
    /// The new object's ETag, quoted as the server sent it.
    public var etag: String
    /// The server's CRC-64 of the stored bytes, when it sent one.
    public var crc64: UInt64?
    /// Whether the stored bytes were proven equal to the sent ones.
    public var crcVerification: OSSCRCVerification
    /// Bytes sent.
    public var size: Int64
    /// The request id, for support.
    public var requestID: String?
    /// The version the write created, in a bucket with versioning (`null` while suspended).
    public var versionID: String?
}
