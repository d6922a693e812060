import Foundation

/// How an S3 request proves who sent it: an `AWS4-HMAC-SHA256` `Authorization` header, a
/// presigned URL (`X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=…`), or nothing.
///
/// Only Signature V4 is S3's here: the legacy `AWS AK:sig` scheme (V2) is refused with the
/// error S3 gives regions that never had it, so a misconfigured client learns it at once.
package enum S3Signature: Sendable, Hashable {
    case anonymous
    /// Signed in the `Authorization` header.
    case header(S3SignatureFields)
    /// Signed in the query; valid for `expires` seconds after the signing time.
    case presigned(S3SignatureFields, expires: Int)

    /// Whether a request is signed the way only S3 clients sign: `Authorization:
    /// AWS4-HMAC-SHA256 …` or an `X-Amz-Algorithm` / `X-Amz-Credential` query parameter. The
    /// server answers such a request with the S3 API and every other one with OSS's.
    package static func isS3(authorization: String?, rawQuery: Substring) -> Bool {
        if let authorization {
            let scheme = authorization.trimmingHTTPWhitespace()
            return scheme.hasPrefix(AWSSignatureV4.algorithm + " ") || scheme.hasPrefix("AWS ")
        }
        // Presigned parameter names are plain ASCII: no decoding needed to spot them.
        return rawQuery.contains("X-Amz-Algorithm=") || rawQuery.contains("X-Amz-Credential=")
            || rawQuery.contains("AWSAccessKeyId=")
    }

    /// Reads the scheme of an S3 request.
    ///
    /// - Throws: `AuthorizationHeaderMalformed` or `AuthorizationQueryParametersError` for a
    ///   header or query that cannot be read, `InvalidRequest` for Signature V2.
    package init(request: OSSRequest) throws(OSSError) {
        if let authorization = request.header("authorization") {
            if authorization.hasPrefix("AWS ") {
                throw S3Errors.invalidRequest(
                    "The authorization mechanism you have provided (Signature Version 2) is not supported. Please use AWS4-HMAC-SHA256.")
            }
            guard authorization.hasPrefix(AWSSignatureV4.algorithm + " ") else {
                throw S3Errors.authorizationHeaderMalformed("Unsupported Authorization Type")
            }
            self = .header(try S3SignatureFields(parsingHeader: authorization.dropFirst(AWSSignatureV4.algorithm.count + 1), request: request))
            return
        }
        if request.query.contains(where: { $0.name == "AWSAccessKeyId" }) {
            throw S3Errors.invalidRequest(
                "This URL is signed with Signature Version 2, which this server does not accept (as S3 regions opened since 2014 do not): sign it with AWS4-HMAC-SHA256, e.g. `aws configure set default.s3.signature_version s3v4` before `aws s3 presign`.")
        }
        guard request.query.contains(where: { $0.name == "X-Amz-Algorithm" || $0.name == "X-Amz-Credential" }) else {
            self = .anonymous
            return
        }
        let (fields, expires) = try S3SignatureFields.parsingQuery(request.query)
        self = .presigned(fields, expires: expires)
    }
}

/// The parts of a V4 signature an S3 server checks: the key, the scope, the signed headers, the
/// signing time and the signature.
package struct S3SignatureFields: Sendable, Hashable {
    package var accessKeyID: String
    package var scope: AWSSignatureV4.Scope
    /// Lower-cased header names, as listed in `SignedHeaders`.
    package var signedHeaders: [String]
    /// Lower-case hex.
    package var signature: String
    /// `yyyyMMdd'T'HHmmss'Z'`: `x-amz-date` (or `Date`) of a header signature, `X-Amz-Date` of a URL.
    package var timestamp: String

    /// Parses what follows `AWS4-HMAC-SHA256 `: `Credential=…, SignedHeaders=…, Signature=…`.
    init(parsingHeader fields: Substring, request: OSSRequest) throws(OSSError) {
        var values: [String: String] = [:]
        for part in fields.split(separator: ",") {
            let field = part.trimmingHTTPWhitespace()
            guard let equals = field.firstIndex(of: "=") else {
                throw S3Errors.authorizationHeaderMalformed("The authorization header is malformed; the field \(field) has no value.")
            }
            values[String(field[..<equals])] = String(field[field.index(after: equals)...])
        }
        guard let credential = values["Credential"], let signed = values["SignedHeaders"], let signature = values["Signature"] else {
            throw S3Errors.authorizationHeaderMalformed(
                "The authorization header is malformed; it needs Credential, SignedHeaders and Signature.")
        }
        guard let timestamp = request.header("x-amz-date") ?? request.header("date").flatMap(Self.timestamp(httpDate:)) else {
            throw S3Errors.accessDenied("AWS authentication requires a valid Date or x-amz-date header")
        }
        try self.init(credential: credential, signedHeaders: signed, signature: signature, timestamp: timestamp, inQuery: false)
    }

    /// Reads the `X-Amz-*` parameters of a presigned URL.
    static func parsingQuery(_ query: [OSSQueryItem]) throws(OSSError) -> (S3SignatureFields, expires: Int) {
        func value(_ name: String) throws(OSSError) -> String {
            guard let value = query.value(for: name), !value.isEmpty else {
                throw S3Errors.authorizationQueryParametersError(
                    "Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.")
            }
            return value
        }
        guard try value("X-Amz-Algorithm") == AWSSignatureV4.algorithm else {
            throw S3Errors.authorizationQueryParametersError("X-Amz-Algorithm only supports \"AWS4-HMAC-SHA256\"")
        }
        let expiresText = try value("X-Amz-Expires")
        guard let expires = Int(expiresText), expires >= 0 else {
            throw S3Errors.authorizationQueryParametersError("X-Amz-Expires should be a number")
        }
        guard expires <= 604_800 else {
            throw S3Errors.authorizationQueryParametersError("X-Amz-Expires must be less than a week (in seconds) that is 604800")
        }
        let fields = try S3SignatureFields(
            credential: try value("X-Amz-Credential"), signedHeaders: try value("X-Amz-SignedHeaders"),
            signature: try value("X-Amz-Signature"), timestamp: try value("X-Amz-Date"), inQuery: true)
        return (fields, expires)
    }

    private init(credential: String, signedHeaders: String, signature: String, timestamp: String, inQuery: Bool) throws(OSSError) {
        let malformed: (String) -> OSSError = {
            inQuery ? S3Errors.authorizationQueryParametersError($0) : S3Errors.authorizationHeaderMalformed($0)
        }
        let parts = credential.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard parts.count >= 5, parts[parts.count - 1] == "aws4_request" else {
            throw malformed("The credential \(credential) is malformed; expecting \"<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request\".")
        }
        guard parts[parts.count - 2] == "s3" else {
            throw malformed("The credential \(credential) names the service \(parts[parts.count - 2]); expecting \"s3\".")
        }
        guard OSSDateFormat.date(v4Timestamp: timestamp) != nil else {
            throw inQuery
                ? S3Errors.authorizationQueryParametersError("X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\"")
                : S3Errors.accessDenied("AWS authentication requires a valid Date or x-amz-date header")
        }
        let day = parts[parts.count - 4]
        guard day == String(timestamp.prefix(8)) else {
            throw malformed("The credential \(credential) is dated \(day), not the day of the signing time \(timestamp).")
        }
        accessKeyID = parts[..<(parts.count - 4)].joined(separator: "/")
        scope = AWSSignatureV4.Scope(timestamp: timestamp, region: parts[parts.count - 3], service: "s3")
        self.signedHeaders = signedHeaders.split(separator: ";").map { $0.lowercased() }
        self.signature = signature
        self.timestamp = timestamp
        guard !accessKeyID.isEmpty, !self.signedHeaders.isEmpty, self.signedHeaders.contains("host") else {
            throw malformed("The signature must name an access key and sign at least the host header.")
        }
    }

    /// `Date: Fri, 24 May 2013 00:00:00 GMT` as a V4 timestamp, for clients that sign `Date`
    /// instead of sending `x-amz-date`.
    private static func timestamp(httpDate: String) -> String? {
        OSSDateFormat.date(httpDate: httpDate).map(OSSDateFormat.v4Timestamp)
    }
}
