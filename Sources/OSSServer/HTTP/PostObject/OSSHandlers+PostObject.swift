import Foundation
import HTTPTypes
import Hummingbird
import OSSProtocol

/// PostObject (§3.8): a browser's `multipart/form-data` upload to `POST /bkt/`.
extension OSSHandlers {
    /// Reads the form's text fields, authenticates it by its policy signature (or, unsigned, by
    /// the bucket's ACL), checks the policy, then streams the `file` part into storage as it
    /// arrives. Answers like PutObject (ETag, CRC-64), with `success_action_status` (200, 201
    /// with a `PostResponse` body, or 204) or a 303 to `success_action_redirect`.
    func postObject(_ call: OSSCall, bucket: String) async throws -> Response {
        let boundary = try MultipartPartHead.boundary(contentType: call.header("content-type"))
        let form = PostObjectForm(body: call.request.body, boundary: boundary)
        var (fields, file) = try await form.readFields()

        guard let template = fields.value("key"), !template.isEmpty else {
            throw OSSError.invalidArgument("A PostObject form needs a key field.", name: "key", value: "")
        }
        let key = template.replacingOccurrences(of: "${filename}", with: file.filename ?? "")
        try OSSNames.validateObjectKey(key)
        // Conditions apply to the key as it will be stored.
        fields.fields.removeAll { $0.name.lowercased() == "key" }
        fields.append(name: "key", value: key)

        let now = Date()
        let policyText = fields.value("policy")
        let policy = try policyText.map { (text: String) throws(OSSError) in try OSSPostPolicy(base64: text) }
        if let signature = try OSSPostFormSignature(fields) {
            guard let policyText, let policy else {
                throw OSSError.invalidArgument("A signed PostObject form needs a policy field.", name: "policy", value: "")
            }
            guard let entry = keys.entry(for: signature.accessKeyID) else {
                throw OSSError.invalidAccessKeyID(signature.accessKeyID)
            }
            try signature.verify(policyBase64: policyText, policy: policy, secret: entry.secret, now: now)
            let principal = try keys.principal(
                accessKeyID: signature.accessKeyID, securityToken: fields.value(OSSHeader.securityToken), now: now)
            // The form acts for its signer, who needs the right to write as any request does.
            try await authorize(
                Requester(call).acting(as: principal), .write, OSSOperation.postObject.policyAction(versioned: false),
                bucket: bucket, key: key)
        } else {
            try await authorize(Requester(call), .write, OSSOperation.postObject.policyAction(versioned: false), bucket: bucket, key: key)
        }
        try policy?.check(fields, bucket: bucket, now: now)

        try Self.checkHeaderFields(fields)
        let outcome = try PostObjectOutcome(fields)
        // The form's fields play the part of a PutObject's headers; the file part's own
        // Content-Type is the fallback for the object's.
        var described = OSSRequest(method: "POST", bucket: bucket, key: key, headers: fields.fields)
        if fields.value("content-type") == nil, let type = file.contentType { described.setHeader("Content-Type", type) }
        let record = try await storage.putObject(
            bucket: bucket, key: key, body: form.file(sizeRange: policy?.contentLengthRange),
            attributes: try await newObjectAttributes(described, bucket: bucket), expectations: try Self.digests(described),
            forbidOverwrite: Self.forbidsOverwrite(described))

        var headers = Self.writeHeaders(record)
        switch outcome {
        case .redirect(let url):
            let query = [
                OSSQueryItem(name: "bucket", value: bucket), OSSQueryItem(name: "key", value: key),
                OSSQueryItem(name: "etag", value: record.etag),
            ]
            headers[.location] = url + (url.contains("?") ? "&" : "?") + OSSQueryItem.encode(query)
            return Self.empty(.seeOther, headers: headers)
        case .status(201):
            let location = Self.location(of: call, bucket: bucket, key: key)
            return Self.xmlResponse(
                OSSPostResponse(bucket: bucket, location: location, key: key, etag: record.etag), status: .created,
                headers: headers)
        case .status(let code):
            return Self.empty(HTTPResponse.Status(code: code), headers: headers)
        }
    }
}

extension OSSHandlers {
    /// Form fields that become headers of the stored object, served back on every GET: a form
    /// (unlike a header) can carry CR, LF and NUL, which no header value may hold.
    static func checkHeaderFields(_ fields: OSSFormFields) throws(OSSError) {
        let served: Set<String> = [
            "content-type", "cache-control", "content-disposition", "content-encoding", "content-language", "expires",
        ]
        for field in fields.fields {
            let name = field.name.lowercased()
            guard served.contains(name) || name.hasPrefix(OSSHeader.metaPrefix) else { continue }
            if field.value.unicodeScalars.contains(where: { $0 == "\r" || $0 == "\n" || $0 == "\u{0}" }) {
                throw .invalidArgument(
                    "The form field \(field.name) becomes a header and must not contain CR, LF or NUL.", name: field.name,
                    value: field.value)
            }
        }
    }
}

/// What a successful PostObject answers: `success_action_redirect` wins over
/// `success_action_status`, which is 200, 201 or 204 (the default, and what any other value
/// becomes, as S3 does).
enum PostObjectOutcome: Equatable {
    case redirect(String)
    case status(Int)

    init(_ fields: OSSFormFields) throws(OSSError) {
        if let url = fields.value("success_action_redirect") ?? fields.value("redirect"), !url.isEmpty {
            // The URL becomes a Location header: it must be an absolute http(s) URL with no
            // control characters, or a form could inject headers.
            let lowered = url.lowercased()
            guard lowered.hasPrefix("http://") || lowered.hasPrefix("https://"),
                !url.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F })
            else {
                throw .invalidArgument(
                    "success_action_redirect must be an absolute http or https URL.", name: "success_action_redirect",
                    value: url)
            }
            self = .redirect(url)
            return
        }
        let status = fields.value("success_action_status").flatMap { Int($0) }
        self = .status([200, 201, 204].contains(status) ? status! : 204)
    }
}
