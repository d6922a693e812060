import NIOConcurrencyHelpers
import OSSProtocol

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
    /// The checksum an S3 client declared (`x-amz-checksum-*`): the S3 front end verifies it as
    /// the body streams, and the write stores it once the body has ended.
    var declaredChecksum: DeclaredChecksum?

    init(contentMD5: [UInt8]? = nil, crc64: UInt64? = nil, contentLength: Int? = nil) {
        self.contentMD5 = contentMD5
        self.crc64 = crc64
        self.contentLength = contentLength
    }

    /// No expectations: the body is whatever arrives.
    static let none = WriteExpectations()
}

/// A checksum verified while a body streamed, known once the body has ended: the protocol layer
/// sets it, the write that consumed the body stores it.
final class DeclaredChecksum: Sendable, Hashable {
    private let box = NIOLockedValueBox<ObjectChecksums.Requested?>(nil)
    /// The algorithm the client declared, known before the body is read: a write that needs this
    /// algorithm's digest (a part of an upload created with it) takes the verified one instead of
    /// hashing the body a second time. `nil` when the client declared none.
    let algorithm: S3ChecksumAlgorithm?

    init(algorithm: S3ChecksumAlgorithm?) {
        self.algorithm = algorithm
    }

    /// The verified checksum; `nil` until the body ended and matched.
    var verified: ObjectChecksums.Requested? {
        get { box.withLockedValue { $0 } }
        set { box.withLockedValue { $0 = newValue } }
    }

    static func == (lhs: DeclaredChecksum, rhs: DeclaredChecksum) -> Bool { lhs === rhs }
    func hash(into hasher: inout Hasher) { hasher.combine(ObjectIdentifier(self)) }
}
