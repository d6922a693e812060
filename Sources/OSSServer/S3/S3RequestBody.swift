import Crypto
import Hummingbird
import NIOConcurrencyHelpers
import NIOCore
import OSSProtocol

/// How an S3 request's body is read and checked before the operation sees it.
///
/// The operation reads plain bytes: an `aws-chunked` body is decoded (chunk signatures checked
/// when signed), and the sequence throws at its end, before the operation can make anything
/// visible, when the bytes are not what the request promised: the SHA-256 of
/// `x-amz-content-sha256` (`XAmzContentSHA256Mismatch`), or the `x-amz-checksum-*` value
/// sent as a header or a trailer (`BadDigest`). A write that does not see its body end cleanly
/// stores nothing, so no unverified byte is ever kept.
struct S3RequestBody: Sendable {
    let payload: S3Payload
    /// The checksum the client declared, if any.
    let declared: Declared?
    /// `x-amz-decoded-content-length` of an aws-chunked body: the object's real length.
    let decodedLength: Int?
    /// The declared checksum, verified, once the body has been read whole.
    let computed: DeclaredChecksum

    /// A checksum announced by the request.
    enum Declared: Sendable {
        /// `x-amz-checksum-<algorithm>: <base64>` in the headers.
        case header(S3ChecksumAlgorithm, [UInt8])
        /// `x-amz-trailer: x-amz-checksum-<algorithm>`: the value follows the body.
        case trailer(S3ChecksumAlgorithm)

        var algorithm: S3ChecksumAlgorithm {
            switch self {
            case .header(let algorithm, _), .trailer(let algorithm): algorithm
            }
        }
    }

    /// Reads what the request declares about its body.
    ///
    /// - Throws: `InvalidRequest` for two checksum headers, a checksum header and a trailer, an
    ///   aws-chunked body without its decoded length; `InvalidArgument` for a checksum value of
    ///   the wrong length.
    ///
    /// - Parameter checksumHeaders: whether `x-amz-checksum-*` headers describe this body.
    init(request: OSSRequest, payload: S3Payload, checksumHeaders: Bool = true) throws(OSSError) {
        self.payload = payload
        var found: [Declared] = []
        for algorithm in S3ChecksumAlgorithm.allCases where checksumHeaders {
            guard let value = request.header(algorithm.headerName) else { continue }
            do {
                found.append(.header(algorithm, try algorithm.digest(fromHeaderValue: value)))
            } catch {
                throw S3Errors.invalidRequest(error.message)
            }
        }
        if let trailer = request.header("x-amz-trailer") {
            guard let algorithm = S3ChecksumAlgorithm(headerName: trailer) else {
                throw S3Errors.invalidRequest("The value specified in the x-amz-trailer header is not supported: \(trailer)")
            }
            guard case .streaming(let kind, _) = payload, kind.hasTrailer else {
                throw S3Errors.invalidRequest("x-amz-trailer needs an aws-chunked body sent with a STREAMING-*-TRAILER x-amz-content-sha256.")
            }
            found.append(.trailer(algorithm))
        }
        guard found.count <= 1 else {
            throw S3Errors.invalidRequest("Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.")
        }
        declared = found.first
        computed = DeclaredChecksum(algorithm: declared?.algorithm)
        if case .streaming = payload {
            guard let text = request.header("x-amz-decoded-content-length") else {
                throw OSSError(code: "MissingContentLength", status: 411, message: "You must provide the Content-Length HTTP header.")
            }
            guard let length = Int(text), length >= 0 else {
                throw S3Errors.invalidArgument("x-amz-decoded-content-length must be a non-negative integer.", name: "x-amz-decoded-content-length", value: text)
            }
            decodedLength = length
        } else {
            decodedLength = nil
        }
    }

    /// `body` decoded and checked as this request demands.
    func wrap(_ body: RequestBody) -> RequestBody {
        if case .unsigned = payload, declared == nil { return body }
        return RequestBody(asyncSequence: CheckedBody(base: body, reading: self))
    }
}
