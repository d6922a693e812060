/// AppendObject: adds bytes at the end of an Appendable object (creating it at position 0).
///
/// An append is checked end to end without a HEAD: the client resumes a CRC-64 from
/// ``previousCRC64`` over the new bytes and declares the resulting whole-object CRC, so the
/// server refuses an append whose bytes were damaged on the way, and the CRC it answers is
/// compared again. ``OSSAppendableObject`` keeps the position and the CRC between appends.
public struct OSSAppendObjectRequest: Sendable {
    /// The bucket.
    public var bucket: String
    /// The object key.
    public var key: String
    /// Where the bytes go: the object's current length (0 for a new object).
    public var position: Int64
    /// The whole object's CRC-64 before this append: the previous result's ``OSSAppendObjectResult/crc64``,
    /// or a HEAD's. `nil` is only valid at position 0 (or with CRC verification off).
    public var previousCRC64: UInt64?
    /// The bytes to append: bytes or a file, whose CRC is known before sending. A one-shot
    /// stream cannot be appended with a declared CRC; read it into bytes first.
    public var body: OSSUploadBody
    /// Content headers, metadata, ACL and storage class; the server applies them on the first
    /// append only, as OSS does.
    public var options: OSSObjectWriteOptions

    /// Creates a request.
    public init(
        bucket: String, key: String, position: Int64, previousCRC64: UInt64?, body: OSSUploadBody,
        options: OSSObjectWriteOptions = .init()
    ) {
        self.bucket = bucket
        self.key = key
        self.position = position
        self.previousCRC64 = previousCRC64
        self.body = body
        self.options = options
    }
}

/// The outcome of AppendObject: where the next append goes and the object's CRC after this one.
public struct OSSAppendObjectResult: Sendable, Hashable {
    /// `x-oss-next-append-position`: the object's length now, the next append's position.
    public var nextPosition: Int64
    /// The CRC-64 of the **whole object** after this append: the server's, proven equal to the
    /// one computed here when ``crcVerification`` is `.verified`; the computed one otherwise.
    /// Pass it as the next append's ``OSSAppendObjectRequest/previousCRC64``.
    public var crc64: UInt64
    /// Whether the object's CRC after the append was proven equal to the expected one.
    public var crcVerification: OSSCRCVerification
    /// The object's ETag after the append.
    public var etag: String
    /// Bytes appended by this request.
    public var size: Int64
    /// The request id, for support.
    public var requestID: String?
}
