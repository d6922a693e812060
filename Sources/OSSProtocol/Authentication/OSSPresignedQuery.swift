/// The signature parameters of a presigned URL.
package enum OSSPresignedQuery: Sendable, Hashable {
    /// `OSSAccessKeyId`, `Expires` (absolute Unix seconds) and `Signature`.
    case v1(accessKeyID: String, expires: Int64, signature: String)
    /// `x-oss-signature-version=OSS2`, `x-oss-expires` (absolute Unix seconds),
    /// `x-oss-access-key-id`, `x-oss-signature` and the optional `x-oss-additional-headers`.
    case v2(accessKeyID: String, expires: Int64, additionalHeaders: [String], signature: String)
    /// `x-oss-signature-version=OSS4-HMAC-SHA256` and the other `x-oss-*` parameters.
    case v4(OSSV4PresignedQuery)

    /// The AccessKeyId that signed.
    public var accessKeyID: String {
        switch self {
        case .v1(let accessKeyID, _, _): return accessKeyID
        case .v2(let accessKeyID, _, _, _): return accessKeyID
        case .v4(let query): return query.credential.accessKeyID
        }
    }

    /// Finds and parses the signature parameters; `nil` when the query carries none.
    ///
    /// - Throws: 403 `AccessDenied` when V1 parameters are incomplete or `Expires` is not a
    ///   number; 400 `InvalidArgument` for an unknown `x-oss-signature-version` or malformed V4
    ///   parameters (including `x-oss-expires` outside 1…604800, EC 0002-00000232).
    public init?(parsing query: [OSSQueryItem]) throws(OSSError) {
        if query.value(for: "x-oss-signature-version") == OSSSignatureV2.scheme {
            self = try Self.parseV2(query)
            return
        }
        if query.contains("x-oss-signature-version") || query.contains("x-oss-signature")
            || query.contains("x-oss-credential")
        {
            self = .v4(try OSSV4PresignedQuery(parsing: query))
            return
        }
        guard query.contains("OSSAccessKeyId") || query.contains("Signature") else { return nil }
        guard let accessKeyID = query.value(for: "OSSAccessKeyId"), !accessKeyID.isEmpty,
            let signature = query.value(for: "Signature"), !signature.isEmpty,
            let expiresText = query.value(for: "Expires")
        else {
            throw .accessDenied("A V1 presigned URL needs OSSAccessKeyId, Expires and Signature.")
        }
        guard let expires = Int64(expiresText) else {
            throw .accessDenied("Expires must be Unix seconds, not \(expiresText).")
        }
        self = .v1(accessKeyID: accessKeyID, expires: expires, signature: signature)
    }

    /// The V2 parameters; each missing one is 403 `AccessDenied` naming it.
    private static func parseV2(_ query: [OSSQueryItem]) throws(OSSError) -> OSSPresignedQuery {
        func required(_ name: String) throws(OSSError) -> String {
            guard let value = query.value(for: name), !value.isEmpty else {
                throw .accessDenied("A V2 presigned URL needs \(name).")
            }
            return value
        }
        let accessKeyID = try required("x-oss-access-key-id")
        let expiresText = try required("x-oss-expires")
        guard let expires = Int64(expiresText) else {
            throw .accessDenied("x-oss-expires must be Unix seconds, not \(expiresText).")
        }
        let signature = try required("x-oss-signature")
        let additional = query.value(for: "x-oss-additional-headers").map {
            $0.split(separator: ";").map { $0.lowercased() }
        } ?? []
        return .v2(accessKeyID: accessKeyID, expires: expires, additionalHeaders: additional, signature: signature)
    }
}
