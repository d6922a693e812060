/// The `x-amz-content-sha256` values that announce a `Content-Encoding: aws-chunked` body.
package enum AWSStreamingPayload: String, CaseIterable, Sendable {
    /// Unsigned chunks and trailers; the integrity rides on a checksum trailer (botocore and the
    /// other SDKs over HTTPS).
    case unsignedWithTrailer = "STREAMING-UNSIGNED-PAYLOAD-TRAILER"
    /// Every chunk signed, no trailers.
    case signed = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD"
    /// Every chunk signed, then trailers closed by `x-amz-trailer-signature`.
    case signedWithTrailer = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER"

    /// Whether each chunk carries a `chunk-signature` to verify.
    package var isSigned: Bool { self != .unsignedWithTrailer }
    /// Whether trailers may follow the final chunk.
    package var hasTrailer: Bool { self != .signed }
}
