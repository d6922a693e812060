import Foundation

// The 400/403 errors of authentication (§2.6, §2.8), with the children OSS sends so that a user
// can see why a signature failed.
extension OSSError {
    /// 403 `AccessDenied`: an ACL refusal, a failed policy condition, or a missing `Date`.
    public static func accessDenied(
        _ message: String = "You have no right to access this object because of bucket acl."
    ) -> OSSError {
        OSSError(code: "AccessDenied", status: 403, message: message)
    }

    /// 403 `AccessDenied` for a presigned URL whose time has passed (EC 0002-00000069).
    public static func requestExpired(expires: Date, serverTime: Date) -> OSSError {
        OSSError(
            code: "AccessDenied",
            status: 403,
            message: "Request has expired.",
            details: [
                ("Expires", OSSDateFormat.iso8601(expires)),
                ("ServerTime", OSSDateFormat.iso8601(serverTime)),
                ("EC", "0002-00000069"),
            ]
        )
    }

    /// 403 `AccessDenied`: a V4 presigned URL used more than the allowed clock skew before the
    /// `x-oss-date` it was signed for, which would otherwise stretch its validity past the cap.
    public static func requestNotYetValid(signedAt: Date, serverTime: Date) -> OSSError {
        OSSError(
            code: "AccessDenied",
            status: 403,
            message: "Request is not valid yet: x-oss-date is in the future.",
            details: [
                ("x-oss-date", OSSDateFormat.iso8601(signedAt)),
                ("ServerTime", OSSDateFormat.iso8601(serverTime)),
                ("EC", "0002-00000235"),
            ]
        )
    }

    /// 403 `InvalidAccessKeyId`: the AccessKeyId exists but was disabled, or its user was.
    public static func disabledAccessKeyID(_ accessKeyID: String) -> OSSError {
        OSSError(
            code: "InvalidAccessKeyId", status: 403, message: "The OSS Access Key Id you provided is disabled.",
            details: [("OSSAccessKeyId", accessKeyID)])
    }

    /// 403 `InvalidAccessKeyId`: the AccessKeyId is not known to this server.
    public static func invalidAccessKeyID(_ accessKeyID: String) -> OSSError {
        OSSError(
            code: "InvalidAccessKeyId",
            status: 403,
            message: "The OSS Access Key Id you provided does not exist in our records.",
            details: [("OSSAccessKeyId", accessKeyID)]
        )
    }

    /// 403 `InvalidSecurityToken`: temporary credentials used without their security token
    /// (EC 0002-00000003), with a different one (0002-00000006), or a token sent with a permanent
    /// key pair.
    public static func invalidSecurityToken(_ message: String, ec: String = "0002-00000006") -> OSSError {
        OSSError(code: "InvalidSecurityToken", status: 403, message: message, details: [("EC", ec)])
    }

    /// 403 `SecurityTokenExpired`: the temporary credentials' validity has ended (EC 0002-00000007).
    public static func securityTokenExpired(expiration: Date, serverTime: Date) -> OSSError {
        OSSError(
            code: "SecurityTokenExpired", status: 403, message: "The security token you provided has expired.",
            details: [
                ("Expiration", OSSDateFormat.iso8601(expiration)), ("ServerTime", OSSDateFormat.iso8601(serverTime)),
                ("EC", "0002-00000007"),
            ])
    }

    /// 403 `SignatureDoesNotMatch`, with what the server signed so that the caller can compare.
    ///
    /// - Parameters:
    ///   - stringToSign: the server's StringToSign; also sent as space-separated hex bytes,
    ///     which shows invisible differences (trailing spaces, `\r`).
    ///   - canonicalRequest: the V4 CanonicalRequest; `nil` for V1.
    public static func signatureDoesNotMatch(
        accessKeyID: String,
        signatureProvided: String,
        stringToSign: String,
        canonicalRequest: String? = nil
    ) -> OSSError {
        var details: [(name: String, value: String)] = [
            ("OSSAccessKeyId", accessKeyID),
            ("SignatureProvided", signatureProvided),
            ("StringToSign", stringToSign),
            ("StringToSignBytes", stringToSign.utf8.map { Hex.encode([$0]) }.joined(separator: " ")),
        ]
        if let canonicalRequest {
            details.append(("CanonicalRequest", canonicalRequest))
        }
        details.append(("EC", "0002-00000040"))
        return OSSError(
            code: "SignatureDoesNotMatch",
            status: 403,
            message: "The request signature we calculated does not match the signature you provided. "
                + "Check your key and signing method.",
            details: details
        )
    }

    /// 403 `RequestTimeTooSkewed`: the signed time is more than the allowed skew away.
    ///
    /// - Parameters:
    ///   - requestTime: the time as the request sent it (`Date`, `x-oss-date`).
    ///   - serverTime: the server's clock.
    public static func requestTimeTooSkewed(requestTime: String, serverTime: Date) -> OSSError {
        OSSError(
            code: "RequestTimeTooSkewed",
            status: 403,
            message: "The difference between the request time and the current time is too large.",
            details: [("RequestTime", requestTime), ("ServerTime", OSSDateFormat.iso8601(serverTime))]
        )
    }

    /// 400 `InvalidArgument` naming the argument, as oss2 reads `ArgumentName`/`ArgumentValue`.
    ///
    /// - Parameters:
    ///   - message: what is wrong and what is expected.
    ///   - name: the header, parameter or element at fault.
    ///   - value: the value received.
    ///   - ec: an OSS error-center code, when one is documented.
    public static func invalidArgument(
        _ message: String,
        name: String? = nil,
        value: String? = nil,
        ec: String? = nil
    ) -> OSSError {
        var details: [(name: String, value: String)] = []
        if let name { details.append(("ArgumentName", name)) }
        if let value { details.append(("ArgumentValue", value)) }
        if let ec { details.append(("EC", ec)) }
        return OSSError(code: "InvalidArgument", status: 400, message: message, details: details)
    }
}
