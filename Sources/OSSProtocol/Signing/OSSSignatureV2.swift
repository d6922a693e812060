import Foundation

/// Signature version 2 (`Authorization: OSS2 AccessKeyId:…,AdditionalHeaders:…,Signature:…` and
/// `x-oss-signature-version=OSS2` URLs), which oss2's `AuthV2` signs:
/// base64(HMAC-SHA256(secret, StringToSign)).
///
/// Unlike V1 it signs every query parameter, not a list of sub-resources, and any extra headers
/// the client names (`AdditionalHeaders`, lower-cased; oss2 adds `range` and `if-modified-since`
/// when present), so nothing of the request can be changed without breaking the signature.
public enum OSSSignatureV2 {
    /// The `Authorization` scheme and the `x-oss-signature-version` value.
    public static let scheme = "OSS2"

    /// V2's percent-encoding: UTF-8 bytes, `A–Z a–z 0–9 - _ . ~` kept, every other byte (`/`
    /// included) as `%XX` in upper case.
    public static func encode(_ text: String) -> String {
        var encoded = ""
        encoded.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."),
                UInt8(ascii: "~"):
                encoded.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                encoded += "%" + Hex.encode([byte]).uppercased()
            }
        }
        return encoded
    }

    /// `encode("/<bucket>/<key>")` (`encode("/")` without a bucket), then `?` and every query
    /// parameter but `x-oss-signature`, names and values encoded, sorted by encoded name, each
    /// `name=value` or `name` alone when the value is empty.
    public static func canonicalizedResource(
        bucket: String?, key: String?, query: [OSSQueryItem], bareBucket: Bool = false
    ) -> String {
        let path = bucket.map { bareBucket && key == nil ? "/" + $0 : "/" + $0 + "/" + (key ?? "") } ?? "/"
        let parameters = query.filter { $0.name != "x-oss-signature" }
            .map { (name: encode($0.name), value: encode($0.value)) }
            .sorted { lhs, rhs in
                lhs.name == rhs.name
                    ? lhs.value.utf8.lexicographicallyPrecedes(rhs.value.utf8)
                    : lhs.name.utf8.lexicographicallyPrecedes(rhs.name.utf8)
            }
        guard !parameters.isEmpty else { return encode(path) }
        return encode(path) + "?" + parameters.map { $0.value.isEmpty ? $0.name : $0.name + "=" + $0.value }
            .joined(separator: "&")
    }

    /// The V2 StringToSign: verb, Content-MD5, Content-Type and date slot, then each `x-oss-*`
    /// and additional header as `name:value\n` sorted by name, the additional header names joined
    /// by `;` and a newline (always there, even when there are none), and the resource.
    ///
    /// - Parameters:
    ///   - dateSlot: a presigned URL's `x-oss-expires`; `nil` takes the `Date` header (V2 never
    ///     signs `x-oss-date` in this slot).
    ///   - additionalHeaders: the names the client listed, in any case and order.
    public static func stringToSign(for request: OSSRequest, dateSlot: String? = nil, additionalHeaders: [String])
        -> String
    {
        let additional = Set(additionalHeaders.map { $0.lowercased() })
        let headers = request.canonicalHeaders { $0.hasPrefix(OSSHeader.prefix) || additional.contains($0) }
        return request.method + "\n"
            + (request.header("Content-MD5") ?? "") + "\n"
            + (request.header("Content-Type") ?? "") + "\n"
            + (dateSlot ?? request.header("Date") ?? "") + "\n"
            + headers.map { "\($0.name):\($0.value)\n" }.joined()
            + additional.sorted().joined(separator: ";") + "\n"
            + canonicalizedResource(
                bucket: request.bucket, key: request.key, query: request.query, bareBucket: request.isBareBucketPath)
    }

    /// base64(HMAC-SHA256(secret, UTF-8(stringToSign))).
    public static func signature(stringToSign: String, secret: String) -> String {
        Base64.encode(MAC.sha256(key: Array(secret.utf8), stringToSign))
    }

    /// Signs a request for sending: sets `Date`, adds the security token of temporary credentials,
    /// then `Authorization: OSS2 …`. Headers to sign must already be set.
    public static func sign(
        _ request: inout OSSRequest, credentials: OSSCredentials, date: Date, additionalHeaders: [String] = []
    ) {
        request.setHeader("Date", OSSDateFormat.httpDate(date))
        if let token = credentials.securityToken { request.setHeader(OSSHeader.securityToken, token) }
        let names = additionalHeaders.map { $0.lowercased() }.sorted()
        let signature = signature(
            stringToSign: stringToSign(for: request, additionalHeaders: names), secret: credentials.secret)
        var authorization = "\(scheme) AccessKeyId:\(credentials.accessKeyID),"
        if !names.isEmpty { authorization += "AdditionalHeaders:\(names.joined(separator: ";")),"}
        request.setHeader("Authorization", authorization + "Signature:\(signature)")
    }

    /// The query items of a V2 presigned URL: `x-oss-signature-version`, `x-oss-expires`
    /// (absolute Unix seconds), `x-oss-access-key-id`, `x-oss-additional-headers` when there are
    /// any, `security-token` for temporary credentials, and last `x-oss-signature`.
    public static func presignedQuery(
        for request: OSSRequest, credentials: OSSCredentials, expires: Date, additionalHeaders: [String] = []
    ) -> [OSSQueryItem] {
        let expiresValue = String(Int64(expires.timeIntervalSince1970.rounded(.down)))
        let names = additionalHeaders.map { $0.lowercased() }.sorted()
        var items = [
            OSSQueryItem(name: "x-oss-signature-version", value: scheme),
            OSSQueryItem(name: "x-oss-expires", value: expiresValue),
            OSSQueryItem(name: "x-oss-access-key-id", value: credentials.accessKeyID),
        ]
        if !names.isEmpty { items.append(OSSQueryItem(name: "x-oss-additional-headers", value: names.joined(separator: ";"))) }
        if let token = credentials.securityToken { items.append(OSSQueryItem(name: "security-token", value: token)) }
        var signed = request
        signed.query += items
        let signature = signature(
            stringToSign: stringToSign(for: signed, dateSlot: expiresValue, additionalHeaders: names),
            secret: credentials.secret)
        return items + [OSSQueryItem(name: "x-oss-signature", value: signature)]
    }
}
