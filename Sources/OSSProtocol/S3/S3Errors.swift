/// The S3 errors that OSS has no equal of, with S3's codes, statuses and messages.
///
/// They are ``OSSError`` values (code, status, message, extra `<Error>` children): the error
/// document of both protocols has the same shape, so one type carries either; the S3 front end
/// renders it with S3's headers (``xml(requestID:hostID:)`` works for both).
package enum S3Errors {
    package static func authorizationHeaderMalformed(_ message: String) -> OSSError {
        OSSError(code: "AuthorizationHeaderMalformed", status: 400, message: message)
    }

    package static func authorizationQueryParametersError(_ message: String) -> OSSError {
        OSSError(code: "AuthorizationQueryParametersError", status: 400, message: message)
    }

    package static func accessDenied(_ message: String = "Access Denied") -> OSSError {
        OSSError(code: "AccessDenied", status: 403, message: message)
    }

    package static func invalidRequest(_ message: String) -> OSSError {
        OSSError(code: "InvalidRequest", status: 400, message: message)
    }

    package static func invalidArgument(_ message: String, name: String, value: String) -> OSSError {
        OSSError(
            code: "InvalidArgument", status: 400, message: message,
            details: [("ArgumentName", name), ("ArgumentValue", value)])
    }

    package static func invalidAccessKeyID(_ accessKeyID: String) -> OSSError {
        OSSError(
            code: "InvalidAccessKeyId", status: 403,
            message: "The AWS Access Key Id you provided does not exist in our records.",
            details: [("AWSAccessKeyId", accessKeyID)])
    }

    package static func signatureDoesNotMatch(accessKeyID: String, stringToSign: String, signature: String, canonicalRequest: String) -> OSSError {
        OSSError(
            code: "SignatureDoesNotMatch", status: 403,
            message: "The request signature we calculated does not match the signature you provided. Check your key and signing method.",
            details: [
                ("AWSAccessKeyId", accessKeyID), ("StringToSign", stringToSign), ("SignatureProvided", signature),
                ("CanonicalRequest", canonicalRequest),
            ])
    }

    package static func requestTimeTooSkewed(requestTime: String, serverTime: String) -> OSSError {
        OSSError(
            code: "RequestTimeTooSkewed", status: 403,
            message: "The difference between the request time and the current time is too large.",
            details: [("RequestTime", requestTime), ("ServerTime", serverTime), ("MaxAllowedSkewMilliseconds", "900000")])
    }

    package static func requestExpired(expires: String, serverTime: String) -> OSSError {
        OSSError(
            code: "AccessDenied", status: 403, message: "Request has expired",
            details: [("Expires", expires), ("ServerTime", serverTime)])
    }

    package static func missingContentSHA256() -> OSSError {
        invalidRequest("Missing required header for this request: x-amz-content-sha256")
    }

    package static func invalidContentSHA256(_ value: String) -> OSSError {
        OSSError(
            code: "InvalidArgument", status: 400, message: "x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-UNSIGNED-PAYLOAD-TRAILER, STREAMING-AWS4-HMAC-SHA256-PAYLOAD, STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER, or a valid sha256 value.",
            details: [("ArgumentName", "x-amz-content-sha256"), ("ArgumentValue", value)])
    }

    package static func contentSHA256Mismatch(client: String, computed: String) -> OSSError {
        OSSError(
            code: "XAmzContentSHA256Mismatch", status: 400,
            message: "The provided 'x-amz-content-sha256' header does not match what was computed.",
            details: [("ClientComputedContentSHA256", client), ("S3ComputedContentSHA256", computed)])
    }

    /// A checksum the client sent (`x-amz-checksum-*`, header or trailer) that the body does not have.
    package static func badChecksum(_ algorithm: String) -> OSSError {
        OSSError(code: "BadDigest", status: 400, message: "The \(algorithm) you specified did not match the calculated checksum.")
    }

    /// A Content-MD5 that the body does not have.
    package static func badDigest() -> OSSError {
        OSSError(code: "BadDigest", status: 400, message: "The Content-MD5 you specified did not match what we received.")
    }

    package static func invalidDigest() -> OSSError {
        OSSError(code: "InvalidDigest", status: 400, message: "The Content-MD5 you specified was invalid.")
    }

    package static func notImplemented(_ what: String) -> OSSError {
        OSSError(code: "NotImplemented", status: 501, message: "A header or query you provided implies functionality that is not implemented: \(what).")
    }
}
