import Foundation

/// Signature version 4 (`OSS4-HMAC-SHA256`), §2.4–2.5: the canonical request, the StringToSign,
/// the derived signing key and the hex signature, shared by header and presigned requests.
public enum OSSSignatureV4 {
    /// The algorithm name at the start of the header and in `x-oss-signature-version`.
    public static let algorithm = "OSS4-HMAC-SHA256"
    /// The payload hash the SDKs send; the only one this module accepts when verifying.
    public static let unsignedPayload = "UNSIGNED-PAYLOAD"

    /// `uri_enc("/" bucket "/" key, keeping "/")`, `/<bucket>/` or `/`, from the decoded key.
    public static func canonicalURI(bucket: String?, key: String?, bareBucket: Bool = false) -> String {
        guard let bucket else { return "/" }
        if bareBucket, key == nil { return OSSPercentEncoding.encode("/" + bucket, keepingSlash: true) }
        return OSSPercentEncoding.encode("/" + bucket + "/" + (key ?? ""), keepingSlash: true)
    }

    /// All parameters except `x-oss-signature`, each `enc(k)` or `enc(k)=enc(v)`, sorted by the
    /// encoded name and then the encoded value, joined with `&`.
    public static func canonicalQuery(_ query: [OSSQueryItem]) -> String {
        query.filter { $0.name != "x-oss-signature" }
            .map { (OSSPercentEncoding.encode($0.name), OSSPercentEncoding.encode($0.value)) }
            .sorted { lhs, rhs in
                lhs.0 == rhs.0 ? lhs.1.utf8.lexicographicallyPrecedes(rhs.1.utf8) : lhs.0.utf8.lexicographicallyPrecedes(rhs.0.utf8)
            }
            .map { $0.1.isEmpty ? $0.0 : $0.0 + "=" + $0.1 }
            .joined(separator: "&")
    }

    /// Whether a lower-case header name is signed without being listed: `x-oss-*`,
    /// `content-type` and `content-md5`.
    public static func isSignedByDefault(_ lowercasedName: String) -> Bool {
        lowercasedName.hasPrefix(OSSHeader.prefix) || lowercasedName == "content-type" || lowercasedName == "content-md5"
    }

    /// The canonical request of §2.4.
    ///
    /// - Parameters:
    ///   - additionalHeaders: the AdditionalHeaders names (any case, any order); they are sorted
    ///     and lower-cased here. A listed header that the request lacks gets no header line but
    ///     stays in the list line, as oss2 signs it.
    ///   - presigned: sign the payload as `UNSIGNED-PAYLOAD` whatever `x-oss-content-sha256` says.
    public static func canonicalRequest(
        for request: OSSRequest,
        additionalHeaders: [String] = [],
        presigned: Bool = false
    ) -> String {
        let additional = normalizedAdditionalHeaders(additionalHeaders)
        let signedHeaders = request.canonicalHeaders { isSignedByDefault($0) || additional.contains($0) }
        let payload = presigned ? unsignedPayload : (request.header(OSSHeader.contentSHA256) ?? unsignedPayload)
        return request.method + "\n"
            + canonicalURI(bucket: request.bucket, key: request.key, bareBucket: request.isBareBucketPath) + "\n"
            + canonicalQuery(request.query) + "\n"
            + signedHeaders.map { "\($0.name):\($0.value)\n" }.joined() + "\n"
            + additional.joined(separator: ";") + "\n"
            + payload
    }

    /// `OSS4-HMAC-SHA256⏎timestamp⏎scope⏎hex(SHA256(canonicalRequest))`.
    ///
    /// - Parameter timestamp: the `x-oss-date` value, `yyyyMMdd'T'HHmmss'Z'`.
    public static func stringToSign(canonicalRequest: String, timestamp: String, credential: OSSV4Credential) -> String {
        algorithm + "\n" + timestamp + "\n" + credential.scope + "\n" + MAC.sha256Hex(canonicalRequest)
    }

    /// HMAC256(HMAC256(HMAC256(HMAC256("aliyun_v4" + secret, date), region), product), "aliyun_v4_request").
    ///
    /// Depends only on the day, so a server may cache it per key and scope.
    public static func signingKey(secret: String, credential: OSSV4Credential) -> [UInt8] {
        MAC.sha256Chain(
            key: Array(("aliyun_v4" + secret).utf8), credential.date, credential.region, credential.product,
            OSSV4Credential.terminator)
    }

    /// lower-hex(HMAC256(signingKey, stringToSign)).
    public static func signature(stringToSign: String, signingKey: [UInt8]) -> String {
        Hex.encode(MAC.sha256(key: signingKey, stringToSign))
    }

    /// Lower-cases, de-duplicates and sorts AdditionalHeaders names (oss2 sorts only by the first
    /// character, so the order on the wire cannot be trusted).
    static func normalizedAdditionalHeaders(_ names: [String]) -> [String] {
        Set(names.map { $0.lowercased() }).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }
}
