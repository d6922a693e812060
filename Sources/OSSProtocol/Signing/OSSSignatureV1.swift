import Foundation

/// Signature version 1 (`Authorization: OSS ak:sig` and `OSSAccessKeyId`/`Expires`/`Signature`
/// URLs): base64(HMAC-SHA1(secret, StringToSign)), §2.2–2.3.
public enum OSSSignatureV1 {
    /// `/`, `/<bucket>/` or `/<bucket>/<key>` with the decoded key, then `?` and the signed
    /// sub-resources sorted by name, each `name` or `name=value` (decoded).
    ///
    /// - Parameter subresources: the parameter names to sign; ``OSSSubresources/union`` by default.
    public static func canonicalizedResource(
        bucket: String?,
        key: String?,
        query: [OSSQueryItem],
        subresources: Set<String> = OSSSubresources.union,
        bareBucket: Bool = false
    ) -> String {
        var resource = "/"
        if let bucket {
            resource += bareBucket && key == nil ? bucket : bucket + "/" + (key ?? "")
        }
        let signed = query.filter { subresources.contains($0.name) }.sorted { lhs, rhs in
            lhs.name == rhs.name
                ? lhs.value.utf8.lexicographicallyPrecedes(rhs.value.utf8)
                : lhs.name.utf8.lexicographicallyPrecedes(rhs.name.utf8)
        }
        guard !signed.isEmpty else { return resource }
        return resource + "?" + signed.map { $0.value.isEmpty ? $0.name : $0.name + "=" + $0.value }
            .joined(separator: "&")
    }

    /// Every `x-oss-*` header as `lowername:value\n`, sorted by name.
    public static func canonicalizedHeaders(of request: OSSRequest) -> String {
        request.canonicalHeaders { $0.hasPrefix(OSSHeader.prefix) }.map { "\($0.name):\($0.value)\n" }.joined()
    }

    /// The V1 StringToSign: verb, Content-MD5, Content-Type, date slot, canonical headers and resource.
    ///
    /// - Parameters:
    ///   - dateSlot: the presigned `Expires` value; `nil` takes `x-oss-date`, else `Date`, from the
    ///     headers (empty when neither is present).
    ///   - subresources: the parameter names to sign.
    public static func stringToSign(
        for request: OSSRequest,
        dateSlot: String? = nil,
        subresources: Set<String> = OSSSubresources.union
    ) -> String {
        let date = dateSlot ?? request.header(OSSHeader.date) ?? request.header("Date") ?? ""
        return [
            request.method,
            request.header("Content-MD5") ?? "",
            request.header("Content-Type") ?? "",
            date,
            canonicalizedHeaders(of: request)
                + canonicalizedResource(
                    bucket: request.bucket, key: request.key, query: request.query, subresources: subresources,
                    bareBucket: request.isBareBucketPath),
        ].joined(separator: "\n")
    }

    /// base64(HMAC-SHA1(secret, UTF-8(stringToSign))).
    public static func signature(stringToSign: String, secret: String) -> String {
        Base64.encode(MAC.sha1(key: Array(secret.utf8), stringToSign))
    }

    /// Signs a request for sending: sets `Date` to `date` and adds `Authorization: OSS ak:sig`.
    ///
    /// Headers that must be signed (`Content-MD5`, `Content-Type`, `x-oss-*`) must already be set.
    /// Temporary credentials add their `x-oss-security-token` header, which is signed with the
    /// other `x-oss-*` headers.
    public static func sign(_ request: inout OSSRequest, credentials: OSSCredentials, date: Date) {
        request.setHeader("Date", OSSDateFormat.httpDate(date))
        if let token = credentials.securityToken { request.setHeader(OSSHeader.securityToken, token) }
        let signature = signature(stringToSign: stringToSign(for: request), secret: credentials.secret)
        request.setHeader("Authorization", "OSS \(credentials.accessKeyID):\(signature)")
    }

    /// The query items that make a V1 presigned URL: `OSSAccessKeyId`, `Expires`, `Signature`,
    /// and `security-token` for temporary credentials (a signed sub-resource).
    ///
    /// Append them to the request's own query. `Expires` is absolute Unix seconds; the URL must be
    /// used with the `Content-Type`, `Content-MD5` and `x-oss-*` headers the request had here.
    public static func presignedQuery(
        for request: OSSRequest,
        credentials: OSSCredentials,
        expires: Date
    ) -> [OSSQueryItem] {
        let expiresValue = String(Int64(expires.timeIntervalSince1970.rounded(.down)))
        var signed = request
        let token = credentials.securityToken.map { [OSSQueryItem(name: "security-token", value: $0)] } ?? []
        signed.query += token
        let signature = signature(
            stringToSign: stringToSign(for: signed, dateSlot: expiresValue), secret: credentials.secret)
        return [
            OSSQueryItem(name: "OSSAccessKeyId", value: credentials.accessKeyID),
            OSSQueryItem(name: "Expires", value: expiresValue),
            OSSQueryItem(name: "Signature", value: signature),
        ] + token
    }
}
