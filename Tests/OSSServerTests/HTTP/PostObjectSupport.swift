import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import OSSProtocol

/// A `multipart/form-data` body as a browser sends it for an HTML upload form: text fields in
/// order, then the file part, CRLF line ends, a WebKit-style boundary.
struct BrowserForm {
    var boundary = "----WebKitFormBoundary7MA4YWxkTrZu0gW"
    var fields: [(name: String, value: String)] = []
    var file: (filename: String, contentType: String, bytes: [UInt8])?

    var contentType: String { "multipart/form-data; boundary=\(boundary)" }

    var body: [UInt8] {
        var out = [UInt8]()
        for field in fields {
            out += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(field.name)\"\r\n\r\n\(field.value)\r\n".utf8)
        }
        if let file {
            out += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(file.filename)\"\r\nContent-Type: \(file.contentType)\r\n\r\n".utf8)
            out += file.bytes
            out += Array("\r\n".utf8)
        }
        out += Array("--\(boundary)--\r\n".utf8)
        return out
    }

    /// Signs the form with V1: `policy`, `OSSAccessKeyId` and `Signature` fields.
    mutating func signV1(policy: String, credentials: OSSCredentials) {
        let encoded = Data(policy.utf8).base64EncodedString()
        fields += [
            ("policy", encoded), ("OSSAccessKeyId", credentials.accessKeyID),
            ("Signature", OSSPostPolicySignature.v1(policyBase64: encoded, secret: credentials.secret)),
        ]
    }

    /// Signs the form with V4; the policy must already name the three `x-oss-*` fields given here.
    mutating func signV4(policy: String, credentials: OSSCredentials, credential: OSSV4Credential, timestamp: String) {
        let encoded = Data(policy.utf8).base64EncodedString()
        fields += [
            ("policy", encoded), ("x-oss-signature-version", "OSS4-HMAC-SHA256"), ("x-oss-credential", credential.value),
            ("x-oss-date", timestamp),
            ("x-oss-signature", OSSPostPolicySignature.v4(policyBase64: encoded, secret: credentials.secret, credential: credential)),
        ]
    }

    /// A policy document expiring `lifetime` seconds from now, with these JSON conditions.
    static func policy(conditions: [String], lifetime: TimeInterval = 3600) -> String {
        "{\"expiration\":\"\(OSSDateFormat.iso8601(Date().addingTimeInterval(lifetime)))\",\"conditions\":[\(conditions.joined(separator: ","))]}"
    }
}

extension LiveServer {
    /// Posts a form to `POST /<bucket>/` with no Authorization header, as a browser does.
    @discardableResult
    func post(_ form: BrowserForm, bucket: String = "bkt") async throws -> LiveResponse {
        try await post(body: form.body, contentType: form.contentType, bucket: bucket)
    }

    @discardableResult
    func post(body: [UInt8], contentType: String, bucket: String = "bkt") async throws -> LiveResponse {
        var headers = HTTPFields()
        headers[.contentType] = contentType
        headers[.contentLength] = String(body.count)
        return try await execute(uri: "/\(bucket)/", method: .post, headers: headers, body: ByteBuffer(bytes: body))
    }
}
