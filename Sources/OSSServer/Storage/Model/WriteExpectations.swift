/// What the client promised about a body, checked before anything becomes visible.
///
/// A mismatch rejects the write with nothing stored: `contentMD5` gives `invalidDigest`
/// (`Content-MD5`), `crc64` gives `crcMismatch` (the swift-oss extension of sending
/// `x-oss-hash-crc64ecma` on uploads, §6.2), and `contentLength` gives `incompleteBody`, which is
/// how a client that disconnects mid-upload is told apart from a short object.
struct WriteExpectations: Sendable, Hashable {
    /// The binary MD5 (16 bytes) decoded from `Content-MD5`.
    var contentMD5: [UInt8]?
    /// The CRC-64/XZ the client computed.
    var crc64: UInt64?
    /// The declared `Content-Length`.
    var contentLength: Int?

    init(contentMD5: [UInt8]? = nil, crc64: UInt64? = nil, contentLength: Int? = nil) {
        self.contentMD5 = contentMD5
        self.crc64 = crc64
        self.contentLength = contentLength
    }

    /// No expectations: the body is whatever arrives.
    static let none = WriteExpectations()
}
