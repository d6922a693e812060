import Foundation

extension OSSSignatureV4 {
    /// Signs a request for sending with an `Authorization` header, the way v2 does.
    ///
    /// Sets `x-oss-date`, `Date`, `x-oss-content-sha256: UNSIGNED-PAYLOAD` (unless a hash is
    /// already set), `x-oss-security-token` for temporary credentials, and `Authorization` in the
    /// v2 layout. AdditionalHeaders keeps only names that
    /// are not signed anyway and that the request has with a non-empty value.
    public static func sign(
        _ request: inout OSSRequest,
        credentials: OSSCredentials,
        region: String,
        date: Date,
        additionalHeaders: [String] = []
    ) {
        let timestamp = OSSDateFormat.v4Timestamp(date)
        request.setHeader(OSSHeader.date, timestamp)
        if let token = credentials.securityToken { request.setHeader(OSSHeader.securityToken, token) }
        request.setHeader("Date", OSSDateFormat.httpDate(date))
        if request.header(OSSHeader.contentSHA256) == nil {
            request.setHeader(OSSHeader.contentSHA256, unsignedPayload)
        }
        let credential = OSSV4Credential(
            accessKeyID: credentials.accessKeyID, date: String(timestamp.prefix(8)), region: region)
        let additional = usableAdditionalHeaders(additionalHeaders, in: request)
        let canonical = canonicalRequest(for: request, additionalHeaders: additional)
        let signature = signature(
            stringToSign: stringToSign(canonicalRequest: canonical, timestamp: timestamp, credential: credential),
            signingKey: signingKey(secret: credentials.secret, credential: credential))
        let authorization = OSSV4Authorization(
            credential: credential, additionalHeaders: additional, signature: signature)
        request.setHeader("Authorization", authorization.headerValue)
    }

    /// The query items of a V4 presigned URL, in the SDKs' order: `x-oss-signature-version`,
    /// `x-oss-date`, `x-oss-expires`, `x-oss-credential`, [`x-oss-security-token`],
    /// [`x-oss-additional-headers`], `x-oss-signature`.
    ///
    /// Append them to the request's own query. The URL must be used with the `Content-Type`,
    /// `Content-MD5` and `x-oss-*` headers the request had here (vector V4-Q).
    /// - Parameter expiresIn: seconds after `date`, 1…604800.
    public static func presignedQuery(
        for request: OSSRequest,
        credentials: OSSCredentials,
        region: String,
        date: Date,
        expiresIn: Int,
        additionalHeaders: [String] = []
    ) -> [OSSQueryItem] {
        let timestamp = OSSDateFormat.v4Timestamp(date)
        let credential = OSSV4Credential(
            accessKeyID: credentials.accessKeyID, date: String(timestamp.prefix(8)), region: region)
        let additional = usableAdditionalHeaders(additionalHeaders, in: request)
        var items = [
            OSSQueryItem(name: "x-oss-signature-version", value: algorithm),
            OSSQueryItem(name: "x-oss-date", value: timestamp),
            OSSQueryItem(name: "x-oss-expires", value: String(expiresIn)),
            OSSQueryItem(name: "x-oss-credential", value: credential.value),
        ]
        if let token = credentials.securityToken {
            items.append(OSSQueryItem(name: OSSHeader.securityToken, value: token))
        }
        if !additional.isEmpty {
            items.append(OSSQueryItem(name: "x-oss-additional-headers", value: additional.joined(separator: ";")))
        }
        var signed = request
        signed.query += items
        let canonical = canonicalRequest(for: signed, additionalHeaders: additional, presigned: true)
        let signature = signature(
            stringToSign: stringToSign(canonicalRequest: canonical, timestamp: timestamp, credential: credential),
            signingKey: signingKey(secret: credentials.secret, credential: credential))
        items.append(OSSQueryItem(name: "x-oss-signature", value: signature))
        return items
    }

    static func usableAdditionalHeaders(_ names: [String], in request: OSSRequest) -> [String] {
        normalizedAdditionalHeaders(names).filter { name in
            !isSignedByDefault(name) && !(request.header(name) ?? "").isEmpty
        }
    }
}
