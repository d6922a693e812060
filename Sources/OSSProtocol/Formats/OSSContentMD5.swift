import Crypto
import Foundation

/// `Content-MD5` (base64 of the 16-byte digest) handling; a mismatch is 400 `InvalidDigest`.
public enum OSSContentMD5 {
    /// The Content-MD5 of an empty body, which v2 adds to many bodiless requests (§2.2).
    public static let emptyBody = "1B2M2Y8AsgTpgAmY7PhCfg=="

    /// The header value for a body.
    public static func value(for body: some Sequence<UInt8>) -> String {
        var md5 = Insecure.MD5()
        md5.update(data: Array(body))
        return value(digest: md5.finalize())
    }

    /// The header value for a digest computed while streaming.
    public static func value(digest: some Sequence<UInt8>) -> String {
        Base64.encode(Array(digest))
    }

    /// Decodes a header value to the 16 digest bytes.
    /// - Throws: `InvalidDigest` when the value is not base64 of exactly 16 bytes.
    public static func digest(from header: String) throws(OSSError) -> [UInt8] {
        guard let data = Data(base64Encoded: header.trimmingHTTPWhitespace()), data.count == 16 else {
            throw .invalidDigest(header)
        }
        return Array(data)
    }

    /// Checks a header value against the digest of the received body.
    /// - Throws: `InvalidDigest` when the header is malformed or does not match.
    public static func verify(_ header: String, digest: some Sequence<UInt8>) throws(OSSError) {
        guard try self.digest(from: header) == Array(digest) else { throw .invalidDigest(header) }
    }
}
