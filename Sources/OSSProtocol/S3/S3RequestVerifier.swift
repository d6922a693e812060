import Foundation

/// Checks an S3 request's Signature V4 (header or presigned) and tells how its body is
/// protected (``S3Payload``).
///
/// The canonical request is built from exactly the headers the client listed in
/// `SignedHeaders`, the path S3-encoded once from its decoded form (or, failing that, as it was
/// sent), and the query with `X-Amz-Signature` left out. The clock is a parameter, as for OSS.
package struct S3RequestVerifier: Sendable {
    /// The largest accepted difference between the signing time and the server's clock.
    package var allowedClockSkew: TimeInterval = 15 * 60

    package init(allowedClockSkew: TimeInterval = 15 * 60) {
        self.allowedClockSkew = allowedClockSkew
    }

    /// Who signed and how the body is to be checked.
    package struct Verified: Sendable {
        package var accessKeyID: String
        package var payload: S3Payload
    }

    /// Verifies `request`.
    ///
    /// - Parameters:
    ///   - request: the decoded request; its headers must include `host`.
    ///   - rawPath: the path as it arrived, percent-encoded, without the query.
    ///   - secret: the secret of the signature's access key; `nil` when the key is unknown.
    /// - Returns: `nil` for an anonymous request.
    package func verify(
        _ request: OSSRequest, rawPath: String, signature: S3Signature, secret: String?, now: Date
    ) throws(OSSError) -> Verified? {
        switch signature {
        case .anonymous:
            return nil
        case .header(let fields):
            guard let secret else { throw S3Errors.invalidAccessKeyID(fields.accessKeyID) }
            guard let signed = OSSDateFormat.date(v4Timestamp: fields.timestamp),
                abs(signed.timeIntervalSince(now)) <= allowedClockSkew
            else {
                throw S3Errors.requestTimeTooSkewed(requestTime: fields.timestamp, serverTime: OSSDateFormat.v4Timestamp(now))
            }
            guard let claimed = request.header("x-amz-content-sha256") else { throw S3Errors.missingContentSHA256() }
            let payload = try S3Payload(claimed: claimed)
            let signingKey = AWSSignatureV4.signingKey(secret: secret, scope: fields.scope)
            try check(request, rawPath: rawPath, fields: fields, payloadHash: claimed, presigned: false, signingKey: signingKey)
            return Verified(accessKeyID: fields.accessKeyID, payload: payload.seeded(by: fields, signingKey: signingKey))
        case .presigned(let fields, let expires):
            guard let secret else { throw S3Errors.invalidAccessKeyID(fields.accessKeyID) }
            let signed = OSSDateFormat.date(v4Timestamp: fields.timestamp) ?? now
            guard signed.timeIntervalSince(now) <= allowedClockSkew else {
                throw S3Errors.accessDenied("Request is not valid yet")
            }
            let expiry = signed.addingTimeInterval(TimeInterval(expires))
            guard now <= expiry else {
                throw S3Errors.requestExpired(expires: OSSDateFormat.iso8601(expiry), serverTime: OSSDateFormat.iso8601(now))
            }
            // A URL signs no body: its bytes are checked by what it declares (Content-MD5, a checksum).
            let payloadHash = request.query.value(for: "X-Amz-Content-Sha256") ?? AWSSignatureV4.unsignedPayload
            let signingKey = AWSSignatureV4.signingKey(secret: secret, scope: fields.scope)
            try check(request, rawPath: rawPath, fields: fields, payloadHash: payloadHash, presigned: true, signingKey: signingKey)
            return Verified(accessKeyID: fields.accessKeyID, payload: try S3Payload(claimed: payloadHash))
        }
    }

    private func check(
        _ request: OSSRequest, rawPath: String, fields: S3SignatureFields, payloadHash: String, presigned: Bool,
        signingKey: [UInt8]
    ) throws(OSSError) {
        var headers: [(name: String, value: String)] = []
        for name in fields.signedHeaders {
            guard let value = request.header(name) else {
                throw presigned
                    ? S3Errors.accessDenied("There were headers present in the request which were not signed")
                    : S3Errors.authorizationHeaderMalformed("The header \(name) is signed but missing from the request.")
            }
            headers.append((name, value))
        }
        let query = request.query.filter { !presigned || $0.name != "X-Amz-Signature" }.map { (name: $0.name, value: $0.value) }
        // SDKs encode the path from the decoded key by S3's rules; a client that encoded it
        // otherwise signed what it sent.
        let decodedPath = (try? OSSPercentEncoding.decode(Substring(rawPath))) ?? rawPath
        var candidates = [AWSSignatureV4.canonicalURI(path: decodedPath)]
        if candidates[0] != rawPath { candidates.append(rawPath) }
        var first: (canonical: String, stringToSign: String)?
        for uri in candidates {
            let canonical = AWSSignatureV4.canonicalRequest(
                method: request.method, canonicalURI: uri, query: query, headers: headers, payloadHash: payloadHash
            ).request
            let stringToSign = AWSSignatureV4.stringToSign(canonicalRequest: canonical, timestamp: fields.timestamp, scope: fields.scope)
            let expected = AWSSignatureV4.signature(stringToSign: stringToSign, signingKey: signingKey)
            if MAC.constantTimeEqual(expected, fields.signature) { return }
            if first == nil { first = (canonical, stringToSign) }
        }
        throw S3Errors.signatureDoesNotMatch(
            accessKeyID: fields.accessKeyID, stringToSign: first?.stringToSign ?? "", signature: fields.signature,
            canonicalRequest: first?.canonical ?? "")
    }
}

/// What `x-amz-content-sha256` says of the body, and so how the server must check it.
package enum S3Payload: Sendable {
    /// `UNSIGNED-PAYLOAD`: only Content-MD5 or an `x-amz-checksum-*` header protects it.
    case unsigned
    /// The hex SHA-256 the body must have (`XAmzContentSHA256Mismatch` otherwise).
    case sha256(String)
    /// `Content-Encoding: aws-chunked`: chunks, each signed through `signer` when the kind is a
    /// signed one, then trailers when the kind has them.
    case streaming(AWSStreamingPayload, signer: AWSChunkSigner?)

    init(claimed: String) throws(OSSError) {
        if claimed == AWSSignatureV4.unsignedPayload {
            self = .unsigned
        } else if let streaming = AWSStreamingPayload(rawValue: claimed) {
            self = .streaming(streaming, signer: nil)
        } else {
            guard claimed.utf8.count == 64, claimed.utf8.allSatisfy({ Hex.value(of: $0) != nil }) else {
                throw S3Errors.invalidContentSHA256(claimed)
            }
            self = .sha256(claimed.lowercased())
        }
    }

    /// The signed streaming kinds chain each chunk's signature from the request's.
    func seeded(by fields: S3SignatureFields, signingKey: [UInt8]) -> S3Payload {
        guard case .streaming(let kind, _) = self, kind.isSigned else { return self }
        return .streaming(
            kind, signer: AWSChunkSigner(seedSignature: fields.signature, timestamp: fields.timestamp, scope: fields.scope, signingKey: signingKey))
    }
}
