/// A parsed `Authorization` header.
package enum OSSAuthorization: Sendable, Hashable {
    /// `OSS <AccessKeyId>:<base64 signature>`.
    case v1(accessKeyID: String, signature: String)
    /// `OSS4-HMAC-SHA256 Credential=…, Signature=…[, AdditionalHeaders=…]`.
    case v4(OSSV4Authorization)

    /// The AccessKeyId that signed.
    public var accessKeyID: String {
        switch self {
        case .v1(let accessKeyID, _): return accessKeyID
        case .v4(let authorization): return authorization.credential.accessKeyID
        }
    }

    /// Parses an `Authorization` header value.
    ///
    /// - Throws: 403 `AccessDenied` for the OSS2 (V2) scheme, which is not supported;
    ///   400 `InvalidArgument` for an unknown scheme or a malformed value.
    public init(parsing header: String) throws(OSSError) {
        let value = header.trimmingHTTPWhitespace()
        guard let space = value.firstIndex(of: " ") else {
            throw .invalidArgument("Unknown authorization scheme.", name: "Authorization", value: value)
        }
        let scheme = value[..<space]
        let rest = value[value.index(after: space)...].trimmingHTTPWhitespace()
        switch scheme {
        case "OSS":
            guard let colon = rest.lastIndex(of: ":"), colon != rest.startIndex, rest.index(after: colon) != rest.endIndex
            else {
                throw .invalidArgument(
                    "The V1 Authorization header must be OSS AccessKeyId:Signature.", name: "Authorization", value: value)
            }
            self = .v1(accessKeyID: String(rest[..<colon]), signature: String(rest[rest.index(after: colon)...]))
        case Substring(OSSSignatureV4.algorithm):
            self = .v4(try OSSV4Authorization(parsingFields: rest))
        case "OSS2":
            throw .accessDenied("Signature version 2 (OSS2) is not supported; sign with V1 or V4.")
        default:
            throw .invalidArgument("Unknown authorization scheme \(scheme).", name: "Authorization", value: value)
        }
    }
}
