// Constructors for the errors of the complete surface (§3.5, §3.8): sub-resources this server does
// not serve, anonymous access, and PostObject forms.
extension OSSError {
    /// 400 `NotImplemented` for a sub-resource (or operation) this server does not serve, such as
    /// `?lifecycle`. 400 rather than 501: oss2 maps `NotImplemented` at 400 to its own exception,
    /// and v2 would retry any status ≥ 500 three times for an answer that cannot change.
    public static func notImplemented(subresource: String) -> OSSError {
        OSSError(
            code: "NotImplemented", status: 400,
            message: "The \(subresource) sub-resource is not implemented by this server.",
            details: [("Subresource", subresource)])
    }

    /// 403 `AccessDenied` for an anonymous request to an operation that only the owner may call,
    /// whatever the ACLs say (ListBuckets, bucket management, ACL changes).
    public static func anonymousAccessForbidden() -> OSSError {
        .accessDenied("Anonymous access is forbidden for this operation.")
    }

    /// 403 `AccessDenied`: an operation only a bucket's owner may run, by another user.
    public static func notBucketOwner() -> OSSError {
        .accessDenied("The bucket you access does not belong to you.")
    }

    /// 400 `MalformedPOSTRequest`: a PostObject body that is not well-formed `multipart/form-data`.
    public static func malformedPOSTRequest(_ reason: String) -> OSSError {
        OSSError(
            code: "MalformedPOSTRequest", status: 400,
            message: "The body of your POST request is not well-formed multipart/form-data: \(reason)")
    }

    /// 400 `FieldItemTooLong`: a PostObject form field other than `file` is longer than allowed.
    public static func fieldItemTooLong(field: String, limit: Int) -> OSSError {
        OSSError(
            code: "FieldItemTooLong", status: 400,
            message: "The form field \(field) is longer than \(limit) bytes.", details: [("FieldName", field)])
    }

    /// 400 `InvalidPolicyDocument`: the PostObject `policy` is not base64 JSON of the expected
    /// shape, or a bucket policy is not valid; `reason` names the element at fault.
    public static func invalidPolicyDocument(_ reason: String) -> OSSError {
        OSSError(code: "InvalidPolicyDocument", status: 400, message: "Invalid Policy: \(reason)")
    }
}
