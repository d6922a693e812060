import Foundation

/// Checks V1, V2 and V4 signatures, header or presigned, against the §2.6 time rules and §2.8 errors.
///
/// The clock is a parameter: nothing here reads the system time, so tests can freeze it and the
/// server can pass one `now` for a whole request.
package struct OSSRequestVerifier: Sendable {
    /// The region V4 scopes must name; `nil` accepts the region in the scope.
    public var region: String?
    /// The largest accepted difference between the signed time and `now` for header signatures.
    public var allowedClockSkew: TimeInterval

    /// Creates a verifier.
    ///
    /// - Parameters:
    ///   - region: the required V4 region, or `nil` to accept whatever the client used.
    ///   - allowedClockSkew: 15 minutes, as OSS allows, unless a test wants otherwise.
    public init(region: String? = nil, allowedClockSkew: TimeInterval = 15 * 60) {
        self.region = region
        self.allowedClockSkew = allowedClockSkew
    }

    /// Authenticates a request.
    ///
    /// - Parameters:
    ///   - now: the server's clock.
    ///   - secret: the AccessKeySecret for an AccessKeyId, `nil` if the id is unknown.
    /// - Returns: the AccessKeyId that signed, or `nil` for an anonymous request (whose access the
    ///   caller must still check against ACLs).
    /// - Throws: ``OSSError`` with `InvalidArgument`, `InvalidAccessKeyId`, `SignatureDoesNotMatch`,
    ///   `RequestTimeTooSkewed` or `AccessDenied`.
    public func verify(_ request: OSSRequest, now: Date, secret: (String) -> String?) throws(OSSError) -> String? {
        let authentication = try OSSRequestAuthentication(request: request)
        return try verify(
            request, authentication: authentication, secret: authentication.accessKeyID.flatMap(secret), now: now)
    }

    /// Authenticates a request whose scheme is already parsed and whose secret is already looked up.
    ///
    /// - Parameter secret: the secret for `authentication.accessKeyID`, `nil` if the id is unknown.
    /// - Returns: the AccessKeyId that signed, or `nil` for an anonymous request.
    public func verify(
        _ request: OSSRequest,
        authentication: OSSRequestAuthentication,
        secret: String?,
        now: Date
    ) throws(OSSError) -> String? {
        do {
            return try verifyAsSent(request, authentication: authentication, secret: secret, now: now)
        } catch let error where error.code == "SignatureDoesNotMatch" && request.isBareBucketPath {
            // `/bucket` may be signed as sent or, as every other SDK signs bucket requests, as
            // `/bucket/`: OSS accepts both, and both name the same bucket.
            var slashed = request
            slashed.isBareBucketPath = false
            return try verifyAsSent(slashed, authentication: authentication, secret: secret, now: now)
        }
    }

    private func verifyAsSent(
        _ request: OSSRequest,
        authentication: OSSRequestAuthentication,
        secret: String?,
        now: Date
    ) throws(OSSError) -> String? {
        switch authentication {
        case .anonymous:
            return nil
        case .header(.v1(let accessKeyID, let signature)):
            let secret = try known(secret, accessKeyID)
            try checkV1Date(of: request, now: now)
            try checkV1(request, dateSlot: nil, accessKeyID: accessKeyID, signature: signature, secret: secret)
            return accessKeyID
        case .presigned(.v1(let accessKeyID, let expires, let signature)):
            let secret = try known(secret, accessKeyID)
            let expiry = Date(timeIntervalSince1970: TimeInterval(expires))
            guard now <= expiry else { throw .requestExpired(expires: expiry, serverTime: now) }
            try checkV1(
                request, dateSlot: request.query.value(for: "Expires"), accessKeyID: accessKeyID,
                signature: signature, secret: secret)
            return accessKeyID
        case .header(.v2(let accessKeyID, let additionalHeaders, let signature)):
            let secret = try known(secret, accessKeyID)
            // V2 signs the Date header; the clock check reads x-oss-date first, as for V1.
            try checkV1Date(of: request, now: now)
            try checkV2(
                request, dateSlot: nil, accessKeyID: accessKeyID, additionalHeaders: additionalHeaders,
                signature: signature, secret: secret)
            return accessKeyID
        case .presigned(.v2(let accessKeyID, let expires, let additionalHeaders, let signature)):
            let secret = try known(secret, accessKeyID)
            let expiry = Date(timeIntervalSince1970: TimeInterval(expires))
            guard now <= expiry else { throw .requestExpired(expires: expiry, serverTime: now) }
            try checkV2(
                request, dateSlot: request.query.value(for: "x-oss-expires"), accessKeyID: accessKeyID,
                additionalHeaders: additionalHeaders,
                signature: signature, secret: secret)
            return accessKeyID
        case .header(.v4(let authorization)):
            try checkPayloadHash(of: request)
            try checkRegion(authorization.credential)
            let secret = try known(secret, authorization.credential.accessKeyID)
            let timestamp = try checkV4Date(of: request, now: now)
            try checkV4(
                request, credential: authorization.credential, timestamp: timestamp,
                additionalHeaders: authorization.additionalHeaders, signature: authorization.signature,
                presigned: false, secret: secret)
            return authorization.credential.accessKeyID
        case .presigned(.v4(let query)):
            try checkRegion(query.credential)
            let secret = try known(secret, query.credential.accessKeyID)
            // A URL dated ahead of the clock would stay valid longer than its expiry cap allows.
            guard query.date.timeIntervalSince(now) <= allowedClockSkew else {
                throw .requestNotYetValid(signedAt: query.date, serverTime: now)
            }
            let expiry = query.date.addingTimeInterval(TimeInterval(query.expires))
            guard now <= expiry else { throw .requestExpired(expires: expiry, serverTime: now) }
            try checkV4(
                request, credential: query.credential, timestamp: query.timestamp,
                additionalHeaders: query.additionalHeaders, signature: query.signature, presigned: true,
                secret: secret)
            return query.credential.accessKeyID
        }
    }

    private func known(_ secret: String?, _ accessKeyID: String) throws(OSSError) -> String {
        guard let secret else { throw .invalidAccessKeyID(accessKeyID) }
        return secret
    }

    private func checkRegion(_ credential: OSSV4Credential) throws(OSSError) {
        // OSS's message and EC, which oss2's tests compare.
        if let region, credential.region != region {
            throw .invalidArgument(
                "Invalid signing region in Authorization header.", name: "Credential", value: credential.value,
                ec: "0002-00000226")
        }
    }

    private func checkSkew(_ signed: Date, sent: String, now: Date) throws(OSSError) {
        guard abs(now.timeIntervalSince(signed)) <= allowedClockSkew else {
            throw .requestTimeTooSkewed(requestTime: sent, serverTime: now)
        }
    }

    private func checkV1Date(of request: OSSRequest, now: Date) throws(OSSError) {
        guard let sent = request.header(OSSHeader.date) ?? request.header("Date") else {
            throw .accessDenied("The request lacks a Date header.")
        }
        guard let signed = OSSDateFormat.date(httpDate: sent) else {
            throw .accessDenied("The Date header is not an RFC 1123 date: \(sent)")
        }
        try checkSkew(signed, sent: sent, now: now)
    }

    private func checkV4Date(of request: OSSRequest, now: Date) throws(OSSError) -> String {
        guard let sent = request.header(OSSHeader.date) else {
            throw .accessDenied("A V4 signed request needs an x-oss-date header.")
        }
        guard let signed = OSSDateFormat.date(v4Timestamp: sent) else {
            throw .accessDenied("x-oss-date is not yyyyMMddTHHmmssZ: \(sent)")
        }
        try checkSkew(signed, sent: sent, now: now)
        return sent
    }

    private func checkPayloadHash(of request: OSSRequest) throws(OSSError) {
        if let hash = request.header(OSSHeader.contentSHA256), hash != OSSSignatureV4.unsignedPayload {
            throw .invalidArgument(
                "Only x-oss-content-sha256: UNSIGNED-PAYLOAD is supported.", name: OSSHeader.contentSHA256,
                value: hash, ec: "0002-00000214")
        }
    }

    private func checkV1(
        _ request: OSSRequest,
        dateSlot: String?,
        accessKeyID: String,
        signature: String,
        secret: String
    ) throws(OSSError) {
        let stringToSign = OSSSignatureV1.stringToSign(for: request, dateSlot: dateSlot)
        if MAC.constantTimeEqual(OSSSignatureV1.signature(stringToSign: stringToSign, secret: secret), signature) {
            return
        }
        throw .signatureDoesNotMatch(accessKeyID: accessKeyID, signatureProvided: signature, stringToSign: stringToSign)
    }

    private func checkV2(
        _ request: OSSRequest,
        dateSlot: String?,
        accessKeyID: String,
        additionalHeaders: [String],
        signature: String,
        secret: String
    ) throws(OSSError) {
        let stringToSign = OSSSignatureV2.stringToSign(
            for: request, dateSlot: dateSlot, additionalHeaders: additionalHeaders)
        if MAC.constantTimeEqual(OSSSignatureV2.signature(stringToSign: stringToSign, secret: secret), signature) {
            return
        }
        throw .signatureDoesNotMatch(accessKeyID: accessKeyID, signatureProvided: signature, stringToSign: stringToSign)
    }

    private func checkV4(
        _ request: OSSRequest,
        credential: OSSV4Credential,
        timestamp: String,
        additionalHeaders: [String],
        signature: String,
        presigned: Bool,
        secret: String
    ) throws(OSSError) {
        let canonical = OSSSignatureV4.canonicalRequest(
            for: request, additionalHeaders: additionalHeaders, presigned: presigned)
        let stringToSign = OSSSignatureV4.stringToSign(
            canonicalRequest: canonical, timestamp: timestamp, credential: credential)
        let expected = OSSSignatureV4.signature(
            stringToSign: stringToSign, signingKey: OSSSignatureV4.signingKey(secret: secret, credential: credential))
        guard timestamp.hasPrefix(credential.date), MAC.constantTimeEqual(expected, signature) else {
            throw .signatureDoesNotMatch(
                accessKeyID: credential.accessKeyID, signatureProvided: signature, stringToSign: stringToSign,
                canonicalRequest: canonical)
        }
    }
}
