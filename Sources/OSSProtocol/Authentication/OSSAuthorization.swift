/// A parsed `Authorization` header.
package enum OSSAuthorization: Sendable, Hashable {
    /// `OSS <AccessKeyId>:<base64 signature>`.
    case v1(accessKeyID: String, signature: String)
    /// `OSS2 AccessKeyId:…[,AdditionalHeaders:a;b],Signature:…` (oss2's `AuthV2`).
    case v2(accessKeyID: String, additionalHeaders: [String], signature: String)
    /// `OSS4-HMAC-SHA256 Credential=…, Signature=…[, AdditionalHeaders=…]`.
    case v4(OSSV4Authorization)

    /// The AccessKeyId that signed.
    public var accessKeyID: String {
        switch self {
        case .v1(let accessKeyID, _): return accessKeyID
        case .v2(let accessKeyID, _, _): return accessKeyID
        case .v4(let authorization): return authorization.credential.accessKeyID
        }
    }

    /// Parses an `Authorization` header value.
    ///
    /// - Throws: 400 `InvalidArgument` for an unknown scheme or a malformed value.
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
        case Substring(OSSSignatureV2.scheme):
            self = try Self.parseV2(rest, header: value)
        default:
            throw .invalidArgument("Unknown authorization scheme \(scheme).", name: "Authorization", value: value)
        }
    }

    /// `AccessKeyId:…,AdditionalHeaders:…,Signature:…`: fields split at commas (oss2 writes none
    /// after them, the Java SDK `, `), each at its first colon; an empty additional header name
    /// (`host;`) is refused, as OSS refuses it.
    private static func parseV2(_ fields: String, header: String) throws(OSSError) -> OSSAuthorization {
        var values: [String: String] = [:]
        for field in fields.split(separator: ",") {
            let field = field.trimmingHTTPWhitespace()
            guard let colon = field.firstIndex(of: ":") else {
                throw .invalidArgument("Malformed OSS2 Authorization field: \(field)", name: "Authorization", value: header)
            }
            values[String(field[..<colon])] = String(field[field.index(after: colon)...])
        }
        guard let accessKeyID = values["AccessKeyId"], !accessKeyID.isEmpty else {
            throw .invalidArgument("The OSS2 Authorization header lacks AccessKeyId.", name: "Authorization", value: header)
        }
        guard let signature = values["Signature"], !signature.isEmpty else {
            throw .invalidArgument("The OSS2 Authorization header lacks Signature.", name: "Authorization", value: header)
        }
        let additional = values["AdditionalHeaders"].map { $0.split(separator: ";", omittingEmptySubsequences: false) } ?? []
        guard additional.allSatisfy({ !$0.isEmpty }) else {
            throw .invalidArgument("AdditionalHeaders must not name an empty header.", name: "Authorization", value: header)
        }
        return .v2(accessKeyID: accessKeyID, additionalHeaders: additional.map { $0.lowercased() }, signature: signature)
    }
}
