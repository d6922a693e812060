/// Signatures of PostObject policies (§3.8), computed over the base64 policy as sent in the form.
public enum OSSPostPolicySignature {
    /// V1: base64(HMAC-SHA1(secret, policyBase64)), the form's `Signature` field.
    public static func v1(policyBase64: String, secret: String) -> String {
        OSSSignatureV1.signature(stringToSign: policyBase64, secret: secret)
    }

    /// V4: hex(HMAC-SHA256(SigningKey, policyBase64)), the form's `x-oss-signature` field.
    ///
    /// - Parameter credential: the form's `x-oss-credential`; its date must equal the form's
    ///   `x-oss-date[:8]`.
    public static func v4(policyBase64: String, secret: String, credential: OSSV4Credential) -> String {
        OSSSignatureV4.signature(
            stringToSign: policyBase64, signingKey: OSSSignatureV4.signingKey(secret: secret, credential: credential))
    }
}
