/// How a request claims to be authenticated, found before any secret is looked up.
///
/// The server can parse this first, fetch the secret for ``accessKeyID`` from wherever it keeps
/// keys (asynchronously if need be), then call ``OSSRequestVerifier/verify(_:authentication:secret:now:)``.
package enum OSSRequestAuthentication: Sendable, Hashable {
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

    /// The security token the request presents where its scheme carries one: the
    /// `x-oss-security-token` header for header signatures, `security-token` in a V1 or V2 URL,
    /// `x-oss-security-token` in a V4 URL; all of them are covered by the signature.
    ///
    /// alibabacloud-oss-v2 signing V1 sends the token in a `security-token` header instead, which
    /// V1 does not sign; it is read as a fallback so that SDK works unchanged. An unsigned token
    /// gains an attacker nothing: it only counts together with the key pair that signed.
    public func securityToken(of request: OSSRequest) -> String? {
        switch self {
        case .anonymous: return nil
        case .header(.v1): return request.header(OSSHeader.securityToken) ?? request.header("security-token")
        case .header(.v2), .header(.v4): return request.header(OSSHeader.securityToken)
        case .presigned(.v1), .presigned(.v2): return request.query.value(for: "security-token")
        case .presigned(.v4): return request.query.value(for: OSSHeader.securityToken)
        }
    }

    /// Finds the authentication scheme of a request.
    ///
    /// - Throws: 400 `InvalidArgument` when both a header and a URL signature are present (OSS
    ///   refuses the combination), or the errors of ``OSSAuthorization/init(parsing:)`` and
    ///   ``OSSPresignedQuery/init(parsing:)``.
    public init(request: OSSRequest) throws(OSSError) {
        let presigned = try OSSPresignedQuery(parsing: request.query)
        guard request.headers.filter({ $0.name.lowercased() == "authorization" }).count <= 1 else {
            throw .invalidArgument("A request carries one Authorization header.", name: "Authorization")
        }
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
