/// The fields of a V4 `Authorization` header: credential, AdditionalHeaders and signature.
package struct OSSV4Authorization: Sendable, Hashable {
    /// Who signed and for which scope.
    public var credential: OSSV4Credential
    /// The AdditionalHeaders names, lower-cased and sorted; empty when the field is absent.
    public var additionalHeaders: [String]
    /// The lower-case hex signature.
    public var signature: String

    /// Creates the fields of a header.
    public init(credential: OSSV4Credential, additionalHeaders: [String] = [], signature: String) {
        self.credential = credential
        self.additionalHeaders = OSSSignatureV4.normalizedAdditionalHeaders(additionalHeaders)
        self.signature = signature
    }

    /// The header value in the v2 layout:
    /// `OSS4-HMAC-SHA256 Credential=…,AdditionalHeaders=a;b,Signature=…`.
    public var headerValue: String {
        var value = "\(OSSSignatureV4.algorithm) Credential=\(credential.value)"
        if !additionalHeaders.isEmpty {
            value += ",AdditionalHeaders=" + additionalHeaders.joined(separator: ";")
        }
        return value + ",Signature=" + signature
    }

    /// Parses what follows `OSS4-HMAC-SHA256 `, in either SDK layout: split on `,`, trim, split
    /// each part on its first `=`, in any order.
    ///
    /// - Throws: `InvalidArgument` for a missing `Credential` or `Signature`, an unknown or
    ///   repeated field, or an empty `AdditionalHeaders` (§2.4).
    public init(parsingFields fields: some StringProtocol) throws(OSSError) {
        var credential: String?
        var additional: [String]?
        var signature: String?
        for part in fields.split(separator: ",") {
            let field = part.trimmingHTTPWhitespace()
            guard let equals = field.firstIndex(of: "=") else {
                throw .invalidArgument("Malformed Authorization field: \(field)", name: "Authorization", value: String(fields))
            }
            let name = String(field[..<equals])
            let value = String(field[field.index(after: equals)...])
            switch name {
            case "Credential" where credential == nil:
                credential = value
            case "Signature" where signature == nil:
                signature = value
            case "AdditionalHeaders" where additional == nil:
                let names = value.split(separator: ";", omittingEmptySubsequences: false).map { String($0) }
                guard !value.isEmpty, !names.contains(where: \.isEmpty) else {
                    throw .invalidArgument("AdditionalHeaders must not be empty.", name: "AdditionalHeaders", value: value)
                }
                additional = names
            default:
                throw .invalidArgument(
                    "Unexpected or repeated Authorization field \(name).", name: "Authorization", value: String(fields))
            }
        }
        guard let credential, let signature, !signature.isEmpty else {
            throw .invalidArgument(
                "The V4 Authorization header needs Credential and Signature.", name: "Authorization", value: String(fields))
        }
        self.init(
            credential: try OSSV4Credential(parsing: credential),
            additionalHeaders: additional ?? [],
            signature: signature)
    }
}
