import Foundation

/// AWS Signature Version 4 (`AWS4-HMAC-SHA256`) for S3: the canonical request, the StringToSign,
/// the derived signing key and the `Authorization` header.
///
/// The server signs with it when it stores blobs in an S3-compatible backend; the S3 front end
/// verifies with the same functions, so both sides read the rules from one place. It differs
/// from OSS V4 (``OSSSignatureV4``) in its names (`AWS4`, `aws4_request`, `x-amz-*`), in signing
/// exactly the headers it lists, and in an S3 path being encoded segment by segment.
public enum AWSSignatureV4 {
    /// The algorithm name at the start of the `Authorization` header.
    public static let algorithm = "AWS4-HMAC-SHA256"
    /// The payload hash of a body that is not hashed (its integrity rides on a checksum header).
    public static let unsignedPayload = "UNSIGNED-PAYLOAD"
    /// SHA-256 of no bytes: the payload hash of a request without a body.
    public static let emptyPayloadSHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

    /// The credential scope: `yyyyMMdd/region/service/aws4_request`.
    public struct Scope: Sendable, Hashable {
        /// The day, `yyyyMMdd` (UTC); the first 8 characters of `x-amz-date`.
        public var date: String
        /// The region, such as `us-east-1`.
        public var region: String
        /// The service, `s3`.
        public var service: String

        /// A scope for `service` in `region` on the UTC day of `timestamp` (`yyyyMMdd'T'HHmmss'Z'`).
        public init(timestamp: String, region: String, service: String = "s3") {
            self.date = String(timestamp.prefix(8))
            self.region = region
            self.service = service
        }

        /// The scope as it appears in the StringToSign and the `Credential=` field.
        public var text: String { "\(date)/\(region)/\(service)/aws4_request" }
    }

    /// The canonical URI of an S3 path (`/bucket/key`, decoded): every segment percent-encoded
    /// once, `/` kept (S3 does not encode twice, unlike other AWS services).
    public static func canonicalURI(path: String) -> String {
        let encoded = OSSPercentEncoding.encode(path, keepingSlash: true)
        return encoded.hasPrefix("/") ? encoded : "/" + encoded
    }

    /// Each parameter as `enc(name)=enc(value)` (the `=` even for an empty value), sorted by the
    /// encoded name and then the encoded value, joined with `&`.
    public static func canonicalQuery(_ query: [(name: String, value: String)]) -> String {
        query.map { (OSSPercentEncoding.encode($0.name), OSSPercentEncoding.encode($0.value)) }
            .sorted { lhs, rhs in
                lhs.0 == rhs.0 ? lhs.1.utf8.lexicographicallyPrecedes(rhs.1.utf8) : lhs.0.utf8.lexicographicallyPrecedes(rhs.0.utf8)
            }
            .map { $0.0 + "=" + $0.1 }
            .joined(separator: "&")
    }

    /// The canonical request and the `SignedHeaders` list: every header given is signed, with
    /// its name lower-cased, its value trimmed and inner runs of spaces collapsed.
    public static func canonicalRequest(
        method: String, path: String, query: [(name: String, value: String)], headers: [(name: String, value: String)],
        payloadHash: String
    ) -> (request: String, signedHeaders: String) {
        canonicalRequest(method: method, canonicalURI: canonicalURI(path: path), query: query, headers: headers, payloadHash: payloadHash)
    }

    /// The canonical request of a path already in canonical form (``canonicalURI(path:)``), as
    /// a server checks a path the client may have encoded its own way.
    public static func canonicalRequest(
        method: String, canonicalURI: String, query: [(name: String, value: String)], headers: [(name: String, value: String)],
        payloadHash: String
    ) -> (request: String, signedHeaders: String) {
        var merged: [String: [String]] = [:]
        for (name, value) in headers { merged[name.lowercased(), default: []].append(canonicalValue(value)) }
        let names = merged.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        let signedHeaders = names.joined(separator: ";")
        let request = method + "\n" + canonicalURI + "\n" + canonicalQuery(query) + "\n"
            + names.map { "\($0):\(merged[$0]!.joined(separator: ","))\n" }.joined() + "\n"
            + signedHeaders + "\n" + payloadHash
        return (request, signedHeaders)
    }

    /// `AWS4-HMAC-SHA256⏎timestamp⏎scope⏎hex(SHA256(canonicalRequest))`.
    public static func stringToSign(canonicalRequest: String, timestamp: String, scope: Scope) -> String {
        algorithm + "\n" + timestamp + "\n" + scope.text + "\n" + MAC.sha256Hex(canonicalRequest)
    }

    /// HMAC-SHA256 chained over `"AWS4" + secret`, the date, region, service and `aws4_request`.
    public static func signingKey(secret: String, scope: Scope) -> [UInt8] {
        MAC.sha256Chain(key: Array(("AWS4" + secret).utf8), scope.date, scope.region, scope.service, "aws4_request")
    }

    /// lower-hex(HMAC-SHA256(signingKey, stringToSign)).
    public static func signature(stringToSign: String, signingKey: [UInt8]) -> String {
        Hex.encode(MAC.sha256(key: signingKey, stringToSign))
    }

    /// The headers that sign a request: `x-amz-date`, `x-amz-content-sha256` and `Authorization`.
    ///
    /// - Parameters:
    ///   - headers: every other header to sign (`host` must be among them); they are sent as given.
    ///   - payloadHash: hex SHA-256 of the body, or ``unsignedPayload``.
    ///   - date: the signing time.
    public static func signedHeaders(
        method: String, path: String, query: [(name: String, value: String)], headers: [(name: String, value: String)],
        payloadHash: String, accessKeyID: String, secret: String, region: String, date: Date
    ) -> [(name: String, value: String)] {
        let timestamp = OSSDateFormat.v4Timestamp(date)
        let scope = Scope(timestamp: timestamp, region: region)
        let added = [("x-amz-content-sha256", payloadHash), ("x-amz-date", timestamp)]
        let (canonical, signed) = canonicalRequest(
            method: method, path: path, query: query, headers: headers + added, payloadHash: payloadHash)
        let signature = signature(
            stringToSign: stringToSign(canonicalRequest: canonical, timestamp: timestamp, scope: scope),
            signingKey: signingKey(secret: secret, scope: scope))
        let authorization = "\(algorithm) Credential=\(accessKeyID)/\(scope.text), SignedHeaders=\(signed), Signature=\(signature)"
        return added + [("Authorization", authorization)]
    }

    private static func canonicalValue(_ value: String) -> String {
        var result = ""
        var lastWasSpace = false
        for character in value.trimmingHTTPWhitespace() {
            if character == " " {
                if !lastWasSpace { result.append(" ") }
                lastWasSpace = true
            } else {
                result.append(character)
                lastWasSpace = false
            }
        }
        return result
    }
}
