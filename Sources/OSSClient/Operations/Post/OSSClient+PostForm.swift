import Foundation
import OSSProtocol

extension OSSClient {
    /// Signs a PostObject form that anyone holding it can use to upload, without credentials,
    /// until it expires (§3.8): the policy pins the bucket, the key or key prefix, the size range
    /// and every fixed field.
    ///
    /// No request is sent. The credentials are read from the provider now, so the form stops
    /// working if those keys are revoked.
    /// - Throws: ``OSSClientError/invalidArgument(_:)`` for an expiry outside 1 s…7 days (V4 forms
    ///   expire with their date after 7 days), or a field the form sets itself (`key`, `policy`,
    ///   `file` and the signature fields).
    public func presignPostForm(_ request: OSSPostFormRequest) async throws -> OSSPostForm {
        let seconds = Int(request.expiresIn.components.seconds)
        let version = request.signatureVersion ?? configuration.signatureVersion
        guard seconds >= 1, version == .v1 || seconds <= 604_800 else {
            throw OSSClientError.invalidArgument("A form expires after 1 to 604800 seconds, not \(seconds).")
        }
        let keyField: String
        let keyCondition: OSSPostPolicy.Condition
        switch request.key {
        case .exact(let key):
            keyField = key
            keyCondition = .equals(field: "key", value: key)
        case .prefix(let prefix):
            keyField = prefix + "${filename}"
            keyCondition = .startsWith(field: "key", prefix: prefix)
        }
        let fixed = request.fields.sorted { $0.key < $1.key }.map { OSSPostForm.Field(name: $0.key, value: $0.value) }
        try Self.checkFormFieldNames(fixed)
        var conditions: [OSSPostPolicy.Condition] = [.equals(field: "bucket", value: request.bucket), keyCondition]
        conditions += fixed.map { .equals(field: $0.name, value: $0.value) }
        if let sizeRange = request.sizeRange {
            guard sizeRange.lowerBound >= 0 else {
                throw OSSClientError.invalidArgument("A form's size range cannot start below 0 bytes.")
            }
            conditions.append(.contentLengthRange(sizeRange))
        }
        conditions += request.conditions
        return try await signedForm(
            bucket: request.bucket, fields: [OSSPostForm.Field(name: "key", value: keyField)] + fixed,
            conditions: conditions, expiration: Date().addingTimeInterval(TimeInterval(seconds)), version: version)
    }

    /// Adds the policy and signature fields to `fields` (V4 also puts its version, credential
    /// and date into the policy, as the server requires).
    func signedForm(
        bucket: String, fields: [OSSPostForm.Field], conditions: [OSSPostPolicy.Condition], expiration: Date,
        version: OSSSignatureVersion
    ) async throws -> OSSPostForm {
        let credentials = try await currentCredentials()
        var fields = fields
        var conditions = conditions
        if let token = credentials.securityToken {
            // Temporary credentials: the token travels as a field the policy pins down.
            fields.append(OSSPostForm.Field(name: OSSHeader.securityToken, value: token))
            conditions.append(.equals(field: OSSHeader.securityToken, value: token))
        }
        switch version {
        case .v1:
            let policy = OSSPostPolicy(expiration: expiration, conditions: conditions).base64Encoded
            fields += [
                OSSPostForm.Field(name: "OSSAccessKeyId", value: credentials.accessKeyID),
                OSSPostForm.Field(name: "policy", value: policy),
                OSSPostForm.Field(
                    name: "Signature", value: OSSPostPolicySignature.v1(policyBase64: policy, secret: credentials.secret)),
            ]
        case .v4:
            let timestamp = OSSDateFormat.v4Timestamp(Date())
            let credential = OSSV4Credential(
                accessKeyID: credentials.accessKeyID, date: String(timestamp.prefix(8)), region: configuration.region)
            let scope = [
                OSSPostForm.Field(name: "x-oss-signature-version", value: OSSSignatureV4.algorithm),
                OSSPostForm.Field(name: "x-oss-credential", value: credential.value),
                OSSPostForm.Field(name: "x-oss-date", value: timestamp),
            ]
            conditions += scope.map { .equals(field: $0.name, value: $0.value) }
            let policy = OSSPostPolicy(expiration: expiration, conditions: conditions).base64Encoded
            let signature = OSSPostPolicySignature.v4(policyBase64: policy, secret: credentials.secret, credential: credential)
            fields += scope + [
                OSSPostForm.Field(name: "policy", value: policy),
                OSSPostForm.Field(name: "x-oss-signature", value: signature),
            ]
        }
        let target = OSSRequest(method: "POST", bucket: bucket, key: nil)
        return OSSPostForm(url: configuration.endpoint.url(for: target), fields: fields, expiration: expiration)
    }

    /// Refuses fields that the form writes itself, so that a caller's value cannot shadow them.
    static func checkFormFieldNames(_ fields: [OSSPostForm.Field]) throws {
        let reserved: Set<String> = [
            "key", "policy", "file", "ossaccesskeyid", "signature", "x-oss-signature-version", "x-oss-credential",
            "x-oss-date", "x-oss-signature", "x-oss-security-token",
        ]
        for field in fields where reserved.contains(field.name.lowercased()) || field.name.isEmpty {
            throw OSSClientError.invalidArgument("The form sets the field '\(field.name)' itself; leave it out of fields.")
        }
    }
}
