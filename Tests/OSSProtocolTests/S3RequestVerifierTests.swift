import Foundation
import OSSProtocol
import Testing

/// The server side of S3 Signature V4 (`S3Signature`, `S3RequestVerifier`) on Amazon's published
/// examples: "Signature Calculations for the Authorization Header: Transferring Payload in a
/// Single Chunk" (GET Object, PUT Object, GET Bucket lifecycle, GET Bucket list objects) and
/// "Authenticating Requests: Using Query Parameters" (the presigned GET). The requests are built
/// as the server builds them, from the request target as sent and the virtual host; canonical
/// requests, hashes and signatures are the documentation's.
@Suite("S3 Signature V4 verification: Amazon's published examples")
struct S3RequestVerifierTests {
    static let accessKeyID = "AKIAIOSFODNN7EXAMPLE"
    static let secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
    static let host = "examplebucket.s3.amazonaws.com"
    /// 20130524T000000Z, when every example was signed.
    static let signedAt = Date(timeIntervalSince1970: 1_369_353_600)
    static let emptyHash = AWSSignatureV4.emptyPayloadSHA256
    /// SHA-256 of the PUT example's body, "Welcome to Amazon S3.".
    static let putBodyHash = "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072"

    /// A request as it arrives: the request target (path and query, percent-encoded) and headers.
    struct Sent: Sendable {
        var method: String
        var target: String
        var headers: [(name: String, value: String)]

        /// Replaces the header (any case) by `value`, or removes it for `nil`.
        mutating func set(_ name: String, _ value: String?) {
            headers.removeAll { $0.name.lowercased() == name.lowercased() }
            if let value { headers.append((name, value)) }
        }
    }

    /// One published example and what the documentation derives from it.
    struct Example: Sendable, CustomTestStringConvertible {
        var name: String
        var sent: Sent
        var canonicalRequest: String
        /// The last line of the published StringToSign.
        var canonicalRequestHash: String
        var signature: String
        /// What the verifier must say of the body: `sha256:<hex>` or `unsigned`.
        var payload: String

        var testDescription: String { name }
        var stringToSign: String {
            "AWS4-HMAC-SHA256\n20130524T000000Z\n20130524/us-east-1/s3/aws4_request\n" + canonicalRequestHash
        }
    }

    static func authorization(_ signedHeaders: String, _ signature: String) -> String {
        "AWS4-HMAC-SHA256 Credential=\(accessKeyID)/20130524/us-east-1/s3/aws4_request,"
            + "SignedHeaders=\(signedHeaders),Signature=\(signature)"
    }

    static let getObject = Example(
        name: "GET Object with a Range header",
        sent: Sent(method: "GET", target: "/test.txt", headers: [
            ("Host", host), ("Range", "bytes=0-9"), ("x-amz-content-sha256", emptyHash), ("x-amz-date", "20130524T000000Z"),
            ("Authorization", authorization(
                "host;range;x-amz-content-sha256;x-amz-date", "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41")),
        ]),
        canonicalRequest: """
            GET
            /test.txt

            host:examplebucket.s3.amazonaws.com
            range:bytes=0-9
            x-amz-content-sha256:\(emptyHash)
            x-amz-date:20130524T000000Z

            host;range;x-amz-content-sha256;x-amz-date
            \(emptyHash)
            """,
        canonicalRequestHash: "7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972",
        signature: "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41", payload: "sha256:" + emptyHash)

    static let putObject = Example(
        name: "PUT Object with a storage class and a Date header",
        sent: Sent(method: "PUT", target: "/test$file.text", headers: [
            ("Host", host), ("Date", "Fri, 24 May 2013 00:00:00 GMT"),
            ("Authorization", authorization(
                "date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class",
                "98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd")),
            ("x-amz-date", "20130524T000000Z"), ("x-amz-storage-class", "REDUCED_REDUNDANCY"),
            ("x-amz-content-sha256", putBodyHash),
        ]),
        canonicalRequest: """
            PUT
            /test%24file.text

            date:Fri, 24 May 2013 00:00:00 GMT
            host:examplebucket.s3.amazonaws.com
            x-amz-content-sha256:\(putBodyHash)
            x-amz-date:20130524T000000Z
            x-amz-storage-class:REDUCED_REDUNDANCY

            date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class
            \(putBodyHash)
            """,
        canonicalRequestHash: "9e0e90d9c76de8fa5b200d8c849cd5b8dc7a3be3951ddb7f6a76b4158342019d",
        signature: "98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd", payload: "sha256:" + putBodyHash)

    static func bucketExample(_ name: String, _ query: String, _ hash: String, _ signature: String) -> Example {
        Example(
            name: name,
            sent: Sent(method: "GET", target: "/?" + query, headers: [
                ("Host", host), ("x-amz-content-sha256", emptyHash), ("x-amz-date", "20130524T000000Z"),
                ("Authorization", authorization("host;x-amz-content-sha256;x-amz-date", signature)),
            ]),
            canonicalRequest: """
                GET
                /
                \(query == "lifecycle" ? "lifecycle=" : query)
                host:examplebucket.s3.amazonaws.com
                x-amz-content-sha256:\(emptyHash)
                x-amz-date:20130524T000000Z

                host;x-amz-content-sha256;x-amz-date
                \(emptyHash)
                """,
            canonicalRequestHash: hash, signature: signature, payload: "sha256:" + emptyHash)
    }

    static let lifecycle = bucketExample(
        "GET Bucket lifecycle", "lifecycle", "9766c798316ff2757b517bc739a67f6213b4ab36dd5da2f94eaebf79c77395ca",
        "fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543")
    static let listObjects = bucketExample(
        "GET Bucket (list objects)", "max-keys=2&prefix=J", "df57d21db20da04d7fa30298dd4488ba3a2b47ca3a489c74750e0f1e7df1b9b7",
        "34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7")

    static let presignedQuery =
        "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request"
        + "&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host"
    static let presigned = Example(
        name: "a presigned GET valid for 86400 seconds",
        sent: Sent(method: "GET", target: "/test.txt?\(presignedQuery)"
            + "&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404", headers: [("Host", host)]),
        canonicalRequest: "GET\n/test.txt\n\(presignedQuery)\nhost:examplebucket.s3.amazonaws.com\n\nhost\nUNSIGNED-PAYLOAD",
        canonicalRequestHash: "3bfa292879f6447bbcda7001decf97f4a54dc650c8942174ae0a9121cf58ad04",
        signature: "aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404", payload: "unsigned")

    static let headerExamples = [getObject, putObject, lifecycle, listObjects]
    static let examples = headerExamples + [presigned]

    /// Bucket, key and query as the server reads them from a target sent to the virtual host.
    static func target(_ raw: String) throws(OSSError) -> OSSRequestTarget {
        try OSSRequestTarget(parsing: raw, host: host, serviceHosts: ["s3.amazonaws.com"])
    }

    /// Parses and verifies `sent` as the server does: the target read against the virtual host,
    /// the raw path up to `?`, the secret looked up by the signature's access key.
    static func verify(
        _ sent: Sent, keys: [String: String] = [accessKeyID: secret], now: Date = signedAt
    ) throws(OSSError) -> S3RequestVerifier.Verified? {
        let request = OSSRequest(method: sent.method, target: try target(sent.target), headers: sent.headers)
        let signature = try S3Signature(request: request)
        let accessKeyID: String? =
            switch signature {
            case .anonymous: nil
            case .header(let fields), .presigned(let fields, _): fields.accessKeyID
            }
        return try S3RequestVerifier().verify(
            request, rawPath: String(sent.target.prefix { $0 != "?" }), signature: signature,
            secret: accessKeyID.flatMap { keys[$0] }, now: now)
    }

    static func refusal(
        _ sent: Sent, keys: [String: String] = [accessKeyID: secret], now: Date = signedAt,
        sourceLocation: SourceLocation = #_sourceLocation
    ) -> OSSError? {
        #expect(throws: OSSError.self, sourceLocation: sourceLocation) { try verify(sent, keys: keys, now: now) }
    }

    static func describe(_ payload: S3Payload?) -> String? {
        switch payload {
        case .none: nil
        case .unsigned: "unsigned"
        case .sha256(let hash): "sha256:" + hash
        case .streaming(let kind, _): "streaming:" + kind.rawValue
        }
    }

    // MARK: Accepted

    @Test(
        "the example verifies up to 15 minutes either side of its signing time",
        arguments: S3RequestVerifierTests.examples, [-900.0, 0, 900])
    func verifies(example: Example, offset: TimeInterval) throws {
        let verified = try Self.verify(example.sent, now: Self.signedAt.addingTimeInterval(offset))
        #expect(verified?.accessKeyID == Self.accessKeyID)
        #expect(Self.describe(verified?.payload) == example.payload)
    }

    @Test("the PUT example verifies whether `$` was sent as is or encoded", arguments: ["/test$file.text", "/test%24file.text"])
    func putPathEitherWay(rawPath: String) throws {
        let target = try Self.target(rawPath)
        #expect(target.isVirtualHosted && target.bucket == "examplebucket" && target.key == "test$file.text")
        var sent = Self.putObject.sent
        sent.target = rawPath
        #expect(try Self.verify(sent)?.accessKeyID == Self.accessKeyID)
    }

    @Test("a presigned URL verifies until the end of its last second")
    func presignedUntilExpiry() throws {
        #expect(try Self.verify(Self.presigned.sent, now: Self.signedAt.addingTimeInterval(86_400)) != nil)
    }

    /// The client signs the decoded key (S3's encoding: every byte but `A-Za-z0-9-_.~` and `/`);
    /// the server decodes the raw path once and encodes it S3's way, so any faithful encoding works.
    @Test("a key with a space, a plus and accents verifies however its path was encoded", arguments: [
        "/a%20b%2Bc/%C3%BC%20%C3%B1.txt",  // S3's encoding, as the SDKs send it
        "/a%20b+c/%C3%BC%20%C3%B1.txt",  // `+` sent as is
        "/a%20b%2bc/%c3%bc%20%c3%b1.txt",  // lower-case hex
    ])
    func encodedPaths(rawPath: String) throws {
        let key = "a b+c/\u{FC} \u{F1}.txt"
        let signed = AWSSignatureV4.signedHeaders(
            method: "GET", path: "/" + key, query: [], headers: [("Host", Self.host)], payloadHash: Self.emptyHash,
            accessKeyID: Self.accessKeyID, secret: Self.secret, region: "us-east-1", date: Self.signedAt)
        let sent = Sent(method: "GET", target: rawPath, headers: [("Host", Self.host)] + signed)
        #expect(try Self.target(rawPath).key == key)
        #expect(try Self.verify(sent)?.accessKeyID == Self.accessKeyID)
    }

    @Test("a client that signs its path as sent, encoded otherwise than S3 encodes it, verifies")
    func pathSignedAsSent() throws {
        // `~` and `-` need no escape; this client escaped them, and signed what it sent.
        let rawPath = "/a%7Eb/c%2Dd.txt"
        let headers: [(name: String, value: String)] = [
            ("Host", Self.host), ("x-amz-content-sha256", Self.emptyHash), ("x-amz-date", "20130524T000000Z"),
        ]
        let scope = AWSSignatureV4.Scope(timestamp: "20130524T000000Z", region: "us-east-1")
        let (canonical, signedHeaders) = AWSSignatureV4.canonicalRequest(
            method: "GET", canonicalURI: rawPath, query: [], headers: headers, payloadHash: Self.emptyHash)
        let signature = AWSSignatureV4.signature(
            stringToSign: AWSSignatureV4.stringToSign(canonicalRequest: canonical, timestamp: "20130524T000000Z", scope: scope),
            signingKey: AWSSignatureV4.signingKey(secret: Self.secret, scope: scope))
        let sent = Sent(
            method: "GET", target: rawPath, headers: headers + [("Authorization", Self.authorization(signedHeaders, signature))])
        #expect(try Self.verify(sent)?.accessKeyID == Self.accessKeyID)
    }

    // MARK: Refused

    /// As S3 does, the error carries the StringToSign and canonical request the server computed,
    /// so a client can find where it differs; for a good request they are the published ones.
    @Test(
        "a wrong secret is SignatureDoesNotMatch with the published StringToSign",
        arguments: S3RequestVerifierTests.examples)
    func wrongSecret(example: Example) {
        let error = Self.refusal(example.sent, keys: [Self.accessKeyID: "not-the-secret"])
        #expect(error?.code == "SignatureDoesNotMatch")
        #expect(error?.status == 403)
        #expect(error?.detail("AWSAccessKeyId") == Self.accessKeyID)
        #expect(error?.detail("StringToSign") == example.stringToSign)
        #expect(error?.detail("CanonicalRequest") == example.canonicalRequest)
        #expect(error?.detail("SignatureProvided") == example.signature)
    }

    /// A change made to a signed request after signing, and the line of the canonical request that shows it.
    struct Tampering: Sendable, CustomTestStringConvertible {
        var example: Example
        /// A header name, or `nil` to replace the request target.
        var header: String?
        var value: String
        var canonicalLine: String

        var testDescription: String { "\(example.name): \(header ?? "target") \(value)" }
    }

    static let tamperings = [
        Tampering(example: getObject, header: "Range", value: "bytes=0-10", canonicalLine: "range:bytes=0-10"),
        Tampering(example: getObject, header: nil, value: "/test2.txt", canonicalLine: "/test2.txt"),
        Tampering(
            example: putObject, header: "x-amz-storage-class", value: "STANDARD", canonicalLine: "x-amz-storage-class:STANDARD"),
        Tampering(
            example: putObject, header: "Date", value: "Sat, 25 May 2013 00:00:00 GMT",
            canonicalLine: "date:Sat, 25 May 2013 00:00:00 GMT"),
        Tampering(example: listObjects, header: nil, value: "/?max-keys=2&prefix=K", canonicalLine: "max-keys=2&prefix=K"),
        Tampering(
            example: presigned, header: nil,
            value: presigned.sent.target.replacingOccurrences(of: "/test.txt", with: "/other.txt"),
            canonicalLine: "/other.txt"),
        Tampering(
            example: presigned, header: nil, value: presigned.sent.target.replacingOccurrences(of: "=86400", with: "=604800"),
            canonicalLine: presignedQuery.replacingOccurrences(of: "=86400", with: "=604800")),
    ]

    @Test(
        "a header, query or path changed after signing is SignatureDoesNotMatch",
        arguments: S3RequestVerifierTests.tamperings)
    func tampered(tampering: Tampering) {
        var sent = tampering.example.sent
        if let header = tampering.header { sent.set(header, tampering.value) } else { sent.target = tampering.value }
        let error = Self.refusal(sent)
        #expect(error?.code == "SignatureDoesNotMatch")
        #expect(error?.status == 403)
        #expect(error?.detail("SignatureProvided") == tampering.example.signature)
        // The same algorithm, time and scope; only the hash of the canonical request differs.
        let published = tampering.example.stringToSign
        let computed = error?.detail("StringToSign")
        #expect(computed?.hasPrefix(String(published.dropLast(64))) == true)
        #expect(computed != published)
        #expect(error?.detail("CanonicalRequest")?.split(separator: "\n").contains { $0 == tampering.canonicalLine } == true)
    }

    @Test("an unknown access key is InvalidAccessKeyId", arguments: S3RequestVerifierTests.examples)
    func unknownKey(example: Example) {
        let unknown = { (text: String) in text.replacingOccurrences(of: Self.accessKeyID, with: "AKIDUNKNOWNEXAMPLE") }
        var sent = example.sent
        sent.target = unknown(sent.target)
        sent.headers = sent.headers.map { ($0.name, unknown($0.value)) }
        let error = Self.refusal(sent)
        #expect(error?.code == "InvalidAccessKeyId")
        #expect(error?.status == 403)
        #expect(error?.detail("AWSAccessKeyId") == "AKIDUNKNOWNEXAMPLE")
    }

    @Test("a clock 16 minutes off is RequestTimeTooSkewed", arguments: S3RequestVerifierTests.headerExamples, [-960.0, 960])
    func skewed(example: Example, offset: TimeInterval) {
        let error = Self.refusal(example.sent, now: Self.signedAt.addingTimeInterval(offset))
        #expect(error?.code == "RequestTimeTooSkewed")
        #expect(error?.status == 403)
        #expect(error?.detail("RequestTime") == "20130524T000000Z")
        #expect(error?.detail("MaxAllowedSkewMilliseconds") == "900000")
    }

    @Test("a presigned URL after its X-Amz-Expires is AccessDenied, Request has expired")
    func presignedExpired() {
        let error = Self.refusal(Self.presigned.sent, now: Self.signedAt.addingTimeInterval(86_401))
        #expect(error?.code == "AccessDenied")
        #expect(error?.status == 403)
        #expect(error?.message == "Request has expired")
        #expect(error?.detail("Expires")?.hasPrefix("2013-05-25T00:00:00") == true)
    }

    @Test("a header signature without x-amz-content-sha256 is InvalidRequest", arguments: S3RequestVerifierTests.headerExamples)
    func missingContentSHA256(example: Example) {
        var sent = example.sent
        sent.set("x-amz-content-sha256", nil)
        let error = Self.refusal(sent)
        #expect(error?.code == "InvalidRequest")
        #expect(error?.message.contains("x-amz-content-sha256") == true)
    }

    @Test("an x-amz-content-sha256 that is no hash nor keyword is InvalidArgument", arguments: [
        "not-a-hash", String(repeating: "a", count: 63), String(repeating: "g", count: 64), "unsigned-payload",
    ])
    func badContentSHA256(value: String) {
        var sent = Self.getObject.sent
        sent.set("x-amz-content-sha256", value)
        let error = Self.refusal(sent)
        #expect(error?.code == "InvalidArgument")
        #expect(error?.detail("ArgumentName") == "x-amz-content-sha256")
        #expect(error?.detail("ArgumentValue") == value)
    }

    @Test("a credential scoped to another service is malformed")
    func otherService() {
        var sent = Self.getObject.sent
        sent.set("Authorization", Self.authorization("host;range;x-amz-content-sha256;x-amz-date", Self.getObject.signature)
            .replacingOccurrences(of: "/s3/", with: "/iam/"))
        #expect(Self.refusal(sent)?.code == "AuthorizationHeaderMalformed")
        var url = Self.presigned.sent
        url.target = url.target.replacingOccurrences(of: "%2Fs3%2F", with: "%2Fiam%2F")
        #expect(Self.refusal(url)?.code == "AuthorizationQueryParametersError")
    }

    @Test("Signature V2 (`AWS AKID:signature`) is InvalidRequest")
    func signatureV2() {
        var sent = Self.getObject.sent
        sent.set("Authorization", "AWS AKIAIOSFODNN7EXAMPLE:frJIUN8DYpKDtOLCwo//yllqDzg=")
        let error = Self.refusal(sent)
        #expect(error?.code == "InvalidRequest")
        #expect(error?.message.contains("AWS4-HMAC-SHA256") == true)
    }

    @Test("X-Amz-Expires over a week is AuthorizationQueryParametersError")
    func expiresOverAWeek() {
        var sent = Self.presigned.sent
        sent.target = sent.target.replacingOccurrences(of: "X-Amz-Expires=86400", with: "X-Amz-Expires=604801")
        let error = Self.refusal(sent)
        #expect(error?.code == "AuthorizationQueryParametersError")
        #expect(error?.message.contains("604800") == true)
    }
}
