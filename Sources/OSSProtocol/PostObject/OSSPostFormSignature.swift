import Foundation

/// Who signed a PostObject form and how (§3.8): V1 (`OSSAccessKeyId`, `Signature`) or V4
/// (`x-oss-signature-version`, `x-oss-credential`, `x-oss-date`, `x-oss-signature`), both over
/// the base64 `policy` as sent. OSS ignores header and URL signatures on this request.
package enum OSSPostFormSignature: Sendable, Hashable {
    /// base64(HMAC-SHA1(secret, policy)).
    case v1(accessKeyID: String, signature: String)
    /// hex(HMAC-SHA256(SigningKey(date, region), policy)), with the form's `x-oss-date`.
    case v4(credential: OSSV4Credential, timestamp: String, signature: String)

    /// The AccessKeyId that signed.
    public var accessKeyID: String {
        switch self {
        case .v1(let accessKeyID, _): accessKeyID
        case .v4(let credential, _, _): credential.accessKeyID
        }
    }

    /// How long before the server's clock a V4 `x-oss-date` may be: 15 minutes.
    public static let allowedClockSkew: TimeInterval = 15 * 60
    /// How old a V4 `x-oss-date` may be: 7 days.
    public static let maximumAge: TimeInterval = 7 * 24 * 3600

    /// Finds the signature fields of a form; `nil` when it has none (an anonymous upload).
    /// - Throws: 400 `InvalidArgument` for incomplete or malformed signature fields.
    public init?(_ fields: OSSFormFields) throws(OSSError) {
        if let version = fields.value("x-oss-signature-version") ?? fields.value("x-oss-signature").map({ _ in "" }) {
            guard version == OSSSignatureV4.algorithm else {
                throw .invalidArgument(
                    "x-oss-signature-version must be \(OSSSignatureV4.algorithm).", name: "x-oss-signature-version",
                    value: version)
            }
            guard let credential = fields.value("x-oss-credential"), let timestamp = fields.value("x-oss-date"),
                let signature = fields.value("x-oss-signature")
            else {
                throw .invalidArgument(
                    "A V4 form needs x-oss-credential, x-oss-date and x-oss-signature.", name: "x-oss-signature")
            }
            self = .v4(
                credential: try OSSV4Credential(parsing: credential, argumentName: "x-oss-credential"),
                timestamp: timestamp, signature: signature)
            return
        }
        let accessKeyID = fields.value("OSSAccessKeyId")
        let signature = fields.value("Signature")
        if accessKeyID == nil, signature == nil { return nil }
        guard let accessKeyID, !accessKeyID.isEmpty, let signature, !signature.isEmpty else {
            throw .invalidArgument("A V1 form needs both OSSAccessKeyId and Signature.", name: "Signature")
        }
        self = .v1(accessKeyID: accessKeyID, signature: signature)
    }

    /// Checks the signature over `policyBase64` and, for V4, the time rules of §2.6.
    ///
    /// - Parameter policy: the decoded policy; a V4 policy must name the form's
    ///   `x-oss-signature-version`, `x-oss-credential` and `x-oss-date` (its conditions then
    ///   check they are equal).
    /// - Throws: 403 `SignatureDoesNotMatch` (the policy is the StringToSign), 403 `AccessDenied`
    ///   for a V4 date too far ahead or too old, 400 `InvalidArgument` for a malformed date or a
    ///   scope date that is not the date's day.
    public func verify(policyBase64: String, policy: OSSPostPolicy, secret: String, now: Date) throws(OSSError) {
        switch self {
        case .v1(let accessKeyID, let signature):
            let expected = OSSPostPolicySignature.v1(policyBase64: policyBase64, secret: secret)
            guard MAC.constantTimeEqual(expected, signature) else {
                throw .signatureDoesNotMatch(accessKeyID: accessKeyID, signatureProvided: signature, stringToSign: policyBase64)
            }
        case .v4(let credential, let timestamp, let signature):
            guard let date = OSSDateFormat.date(v4Timestamp: timestamp), timestamp.hasPrefix(credential.date) else {
                throw .invalidArgument(
                    "x-oss-date must be yyyyMMddTHHmmssZ on the credential's day.", name: "x-oss-date", value: timestamp)
            }
            guard date.timeIntervalSince(now) <= Self.allowedClockSkew else {
                throw .accessDenied("x-oss-date \(timestamp) is ahead of the server's clock.")
            }
            guard now.timeIntervalSince(date) <= Self.maximumAge else {
                throw .accessDenied("x-oss-date \(timestamp) is more than 7 days old.")
            }
            for field in ["x-oss-signature-version", "x-oss-credential", "x-oss-date"] {
                let named = policy.conditions.contains { condition in
                    if case .equals(let name, _) = condition { return name.lowercased() == field }
                    return false
                }
                guard named else {
                    throw .accessDenied("Invalid according to Policy: a V4 policy must contain {\"\(field)\": …}.")
                }
            }
            let expected = OSSPostPolicySignature.v4(policyBase64: policyBase64, secret: secret, credential: credential)
            guard MAC.constantTimeEqual(expected, signature) else {
                throw .signatureDoesNotMatch(
                    accessKeyID: credential.accessKeyID, signatureProvided: signature, stringToSign: policyBase64)
            }
        }
    }
}
