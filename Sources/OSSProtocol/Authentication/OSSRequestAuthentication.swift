/// How a request claims to be authenticated, found before any secret is looked up.
///
/// The server can parse this first, fetch the secret for ``accessKeyID`` from wherever it keeps
/// keys (asynchronously if need be), then call ``OSSRequestVerifier/verify(_:authentication:secret:now:)``.
public enum OSSRequestAuthentication: Sendable, Hashable {
    /// No `Authorization` header and no signature parameters (§2.7).
    case anonymous
    /// An `Authorization` header.
    case header(OSSAuthorization)
    /// Signature parameters in the query.
    case presigned(OSSPresignedQuery)

    /// The AccessKeyId that signed; `nil` for anonymous requests.
    public var accessKeyID: String? {
        switch self {
        case .anonymous: return nil
        case .header(let authorization): return authorization.accessKeyID
        case .presigned(let query): return query.accessKeyID
        }
    }

    /// Finds the authentication scheme of a request.
    ///
    /// - Throws: 400 `InvalidArgument` when both a header and a URL signature are present (OSS
    ///   refuses the combination), or the errors of ``OSSAuthorization/init(parsing:)`` and
    ///   ``OSSPresignedQuery/init(parsing:)``.
    public init(request: OSSRequest) throws(OSSError) {
        let presigned = try OSSPresignedQuery(parsing: request.query)
        if let header = request.header("Authorization") {
            guard presigned == nil else {
                throw .invalidArgument(
                    "A request cannot carry both an Authorization header and a URL signature.", name: "Authorization")
            }
            self = .header(try OSSAuthorization(parsing: header))
        } else if let presigned {
            self = .presigned(presigned)
        } else {
            self = .anonymous
        }
    }
}
