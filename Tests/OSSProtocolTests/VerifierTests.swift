import Foundation
import OSSProtocol
import Testing

@Suite("Request verification (§2.6–2.8)")
struct VerifierTests {
    let verifier = OSSRequestVerifier()

    func secrets(_ id: String) -> String? {
        id == "AKIDEXAMPLE" ? "SKEXAMPLEsecret" : nil
    }

    func verify(_ request: OSSRequest, at now: Date = Fixture.now, secret: String? = nil) throws(OSSError) -> String? {
        try verifier.verify(request, now: now) { id in secret ?? secrets(id) }
    }

    func v1ARequest(authorization: String = "OSS AKIDEXAMPLE:5ndnDrTOAra74STbuURjng8yZG4=") throws -> OSSRequest {
        try Fixture.received(
            "PUT", "/example-bucket/photos%2F2024%2Fcat.jpg",
            SignatureV1Tests.v1AHeaders + [("Authorization", authorization)])
    }

    @Test("an anonymous request is not an error")
    func anonymous() throws {
        #expect(try verify(Fixture.received("GET", "/example-bucket/a.txt", [])) == nil)
    }

    @Test("V1 header: a good signature returns the AccessKeyId")
    func v1Accepted() throws {
        #expect(try verify(v1ARequest()) == "AKIDEXAMPLE")
        #expect(try verify(v1ARequest(), at: Fixture.now.addingTimeInterval(14 * 60)) == "AKIDEXAMPLE")
    }

    @Test("V1 header: a wrong secret is SignatureDoesNotMatch with the StringToSign")
    func v1WrongSecret() throws {
        let request = try v1ARequest()
        let error = #expect(throws: OSSError.self) { try verify(request, secret: "wrong") }
        #expect(error?.code == "SignatureDoesNotMatch")
        #expect(error?.status == 403)
        #expect(error?.detail("StringToSign") == OSSSignatureV1.stringToSign(for: request))
        #expect(error?.detail("StringToSignBytes")?.hasPrefix("50 55 54 0a") == true)
        #expect(error?.detail("SignatureProvided") == "5ndnDrTOAra74STbuURjng8yZG4=")
        #expect(error?.detail("CanonicalRequest") == nil)
    }

    @Test("V1 header: a tampered header fails")
    func v1Tampered() throws {
        var request = try v1ARequest()
        request.setHeader("x-oss-object-acl", "public-read")
        #expect(throws: OSSError.self) { try verify(request) }
    }

    @Test("V1 header: an unknown AccessKeyId is InvalidAccessKeyId")
    func v1UnknownKey() throws {
        let request = try v1ARequest(authorization: "OSS NOBODY:5ndnDrTOAra74STbuURjng8yZG4=")
        let error = #expect(throws: OSSError.self) { try verify(request) }
        #expect(error?.code == "InvalidAccessKeyId")
        #expect(error?.detail("OSSAccessKeyId") == "NOBODY")
    }

    @Test("V1 header: more than 15 minutes of skew either way is RequestTimeTooSkewed")
    func v1Skew() throws {
        for offset in [16.0 * 60, -16.0 * 60] {
            let error = #expect(throws: OSSError.self) {
                try verify(v1ARequest(), at: Fixture.now.addingTimeInterval(offset))
            }
            #expect(error?.code == "RequestTimeTooSkewed")
            #expect(error?.detail("RequestTime") == Fixture.httpDate)
        }
    }

    @Test("V1 header: a missing or unparsable Date is AccessDenied")
    func v1MissingDate() throws {
        var request = try v1ARequest()
        request.headers.removeAll { $0.name.lowercased() == "date" }
        #expect((#expect(throws: OSSError.self) { try verify(request) })?.code == "AccessDenied")
        request.setHeader("Date", "yesterday")
        #expect((#expect(throws: OSSError.self) { try verify(request) })?.code == "AccessDenied")
    }

    @Test("V1 presigned: the oss2 URL of V1-P verifies until it expires")
    func v1Presigned() throws {
        let target =
            "/example-bucket/photos%2F2024%2Fcat.jpg?response-content-disposition=attachment%3B%20filename%3D%22cat.jpg%22&x-oss-traffic-limit=819200&OSSAccessKeyId=AKIDEXAMPLE&Expires=1710495000&Signature=DPzTDsprRssIJi2UisfKsfBJWNo%3D"
        let request = try Fixture.received("GET", target, [])
        #expect(try verify(request) == "AKIDEXAMPLE")
        #expect(try verify(request, at: Date(timeIntervalSince1970: 1_710_495_000)) == "AKIDEXAMPLE")
        let error = #expect(throws: OSSError.self) {
            try verify(request, at: Date(timeIntervalSince1970: 1_710_495_001))
        }
        #expect(error?.code == "AccessDenied")
        #expect(error?.message == "Request has expired.")
        #expect(error?.detail("Expires") == "2024-03-15T09:30:00.000Z")
    }

    /// A signature over fewer sub-resources than the request carries must not verify: otherwise
    /// `&cors` appended to a captured listing URL reads (or, on a PUT, writes) the CORS rules.
    @Test("V1: a signature that leaves out a sub-resource the request carries (cors, live, x-oss-process) is refused",
          arguments: ["cors", "live", "x-oss-process"])
    func v1UnsignedSubresourceRefused(parameter: String) throws {
        var request = OSSRequest(method: "GET", bucket: Fixture.bucket, key: nil)
        let stringToSign = OSSSignatureV1.stringToSign(for: request, dateSlot: "1710495000")
        let signature = OSSSignatureV1.signature(stringToSign: stringToSign, secret: "SKEXAMPLEsecret")
        request.query += [
            OSSQueryItem(name: "OSSAccessKeyId", value: "AKIDEXAMPLE"), OSSQueryItem(name: "Expires", value: "1710495000"),
            OSSQueryItem(name: "Signature", value: signature),
        ]
        #expect(try verify(request) == "AKIDEXAMPLE")
        request.query.append(OSSQueryItem(name: parameter, value: ""))
        #expect((#expect(throws: OSSError.self) { try verify(request) })?.code == "SignatureDoesNotMatch")
    }

    @Test("V1 presigned: incomplete parameters are AccessDenied")
    func v1PresignedIncomplete() throws {
        let request = try Fixture.received("GET", "/example-bucket/a?OSSAccessKeyId=AKIDEXAMPLE&Signature=x", [])
        #expect((#expect(throws: OSSError.self) { try verify(request) })?.code == "AccessDenied")
    }

    func v4ARequest(authorization: String? = nil, date: String = Fixture.v4Date) throws -> OSSRequest {
        let header =
            authorization
            ?? "OSS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240315/cn-hangzhou/oss/aliyun_v4_request,Signature=a8a6b29183d59d35504ae376f983ee215560dd64666b957199cf7f34cc776237"
        return try Fixture.received(
            "PUT", "/example-bucket/photos/2024/cat.jpg",
            SignatureV1Tests.v1AHeaders.dropLast() + [
                ("x-oss-content-sha256", "UNSIGNED-PAYLOAD"), ("x-oss-date", date), ("Authorization", header),
            ])
    }

    @Test("V4 header: a good signature returns the AccessKeyId, also with a required region")
    func v4Accepted() throws {
        #expect(try verify(v4ARequest()) == "AKIDEXAMPLE")
        let regional = OSSRequestVerifier(region: "cn-hangzhou")
        #expect(try regional.verify(v4ARequest(), now: Fixture.now, secret: secrets) == "AKIDEXAMPLE")
    }

    @Test("V4 header: both layouts of V4-E verify")
    func v4Layouts() throws {
        for header in [SignatureV4Tests.v4EHeaderOSS2, SignatureV4Tests.v4EHeaderV2] {
            let request = try Fixture.received(
                "GET", "/example-bucket/photos/2024/cat.jpg",
                [("Range", "bytes=0-9"), ("Host", "127.0.0.1:9000"), ("Authorization", header)]
                    + SignatureV4Tests.signingHeaders)
            #expect(try verify(request) == "AKIDEXAMPLE")
        }
    }

    @Test("V4 header: a wrong secret is SignatureDoesNotMatch with the CanonicalRequest")
    func v4WrongSecret() throws {
        let request = try v4ARequest()
        let error = #expect(throws: OSSError.self) { try verify(request, secret: "wrong") }
        #expect(error?.code == "SignatureDoesNotMatch")
        #expect(error?.detail("CanonicalRequest") == OSSSignatureV4.canonicalRequest(for: request))
        #expect(error?.detail("StringToSign")?.hasSuffix("aed1daff87f195b8d3565fe059e665fbf4d7a7057d7951bfe6f9dca25fa4b351") == true)
    }

    @Test("V4 header: skew, scope date and payload hash")
    func v4Rules() throws {
        let skewed = #expect(throws: OSSError.self) {
            try verify(v4ARequest(), at: Fixture.now.addingTimeInterval(-20 * 60))
        }
        #expect(skewed?.code == "RequestTimeTooSkewed")

        let otherDay = try v4ARequest(
            authorization:
                "OSS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240314/cn-hangzhou/oss/aliyun_v4_request,Signature=00")
        #expect((#expect(throws: OSSError.self) { try verify(otherDay) })?.code == "SignatureDoesNotMatch")

        var hashed = try v4ARequest()
        hashed.setHeader("x-oss-content-sha256", String(repeating: "a", count: 64))
        let error = #expect(throws: OSSError.self) { try verify(hashed) }
        #expect(error?.code == "InvalidArgument")
        #expect(error?.detail("EC") == "0002-00000214")
    }

    @Test("V4 header: a region other than the required one is InvalidArgument")
    func v4Region() throws {
        let verifier = OSSRequestVerifier(region: "cn-shanghai")
        let error = #expect(throws: OSSError.self) {
            try verifier.verify(v4ARequest(), now: Fixture.now, secret: secrets)
        }
        #expect(error?.code == "InvalidArgument")
        // OSS's words and EC, which oss2's tests compare.
        #expect(error?.message == "Invalid signing region in Authorization header.")
        #expect(error?.detail("EC") == "0002-00000226")
    }

    @Test("V4 presigned: V4-P verifies until x-oss-date + x-oss-expires")
    func v4Presigned() throws {
        let request = try Fixture.received("GET", Self.v4PTarget, [])
        #expect(try verify(request) == "AKIDEXAMPLE")
        #expect(try verify(request, at: Fixture.now.addingTimeInterval(3600)) == "AKIDEXAMPLE")
        let error = #expect(throws: OSSError.self) { try verify(request, at: Fixture.now.addingTimeInterval(3601)) }
        #expect(error?.code == "AccessDenied")
        #expect(error?.status == 403)
    }

    /// A URL signed for a date a week ahead, with the 7-day maximum expiry, would otherwise be
    /// valid for two weeks from now.
    @Test("V4 presigned: a URL dated more than the allowed skew ahead is refused until then")
    func v4PresignedFromTheFuture() throws {
        let request = try Fixture.received("GET", Self.v4PTarget, [])
        let early = Fixture.now.addingTimeInterval(-15 * 60 - 1)
        let error = #expect(throws: OSSError.self) { try verify(request, at: early) }
        #expect(error?.code == "AccessDenied")
        #expect(error?.status == 403)
        #expect(error?.detail("EC") == "0002-00000235")
        #expect(try verify(request, at: Fixture.now.addingTimeInterval(-15 * 60)) == "AKIDEXAMPLE")
    }

    @Test("V4 presigned: a URL signed with a Content-Type needs that Content-Type (V4-Q)")
    func v4PresignedContentType() throws {
        let unsigned = OSSRequest(
            method: "PUT", bucket: Fixture.bucket, key: "photos/2024/cat.jpg", headers: [("Content-Type", "text/plain")])
        let query = OSSSignatureV4.presignedQuery(
            for: unsigned, credentials: Fixture.credentials, region: Fixture.region, date: Fixture.now, expiresIn: 900)
        let target = "/example-bucket/photos/2024/cat.jpg?" + OSSQueryItem.encode(query)
        #expect(try verify(Fixture.received("PUT", target, [("Content-Type", "text/plain")])) == "AKIDEXAMPLE")
        #expect(throws: OSSError.self) { try verify(Fixture.received("PUT", target, [("Content-Type", "image/png")])) }
    }

    @Test("V4 presigned: x-oss-expires outside 1…604800 is InvalidArgument", arguments: ["0", "604801", "-5", "soon"])
    func v4ExpiresRange(expires: String) throws {
        let target = Self.v4PTarget.replacingOccurrences(of: "x-oss-expires=3600", with: "x-oss-expires=\(expires)")
        let error = #expect(throws: OSSError.self) { try verify(Fixture.received("GET", target, [])) }
        #expect(error?.code == "InvalidArgument")
        #expect(error?.status == 400)
        #expect(error?.detail("EC") == "0002-00000232")
    }

    @Test("a header signature together with a URL signature is InvalidArgument")
    func headerAndQuery() throws {
        let request = try Fixture.received(
            "GET", Self.v4PTarget, [("Authorization", "OSS AKIDEXAMPLE:5ndnDrTOAra74STbuURjng8yZG4=")])
        #expect((#expect(throws: OSSError.self) { try verify(request) })?.code == "InvalidArgument")
    }

    @Test(
        "malformed Authorization headers",
        arguments: [
            ("OSS2 AccessKeyId:AK", "InvalidArgument"),
            ("Bearer token", "InvalidArgument"),
            ("OSS AKIDEXAMPLE", "InvalidArgument"),
            ("OSS4-HMAC-SHA256 Credential=AK/20240315/cn-hangzhou/oss/aliyun_v4_request", "InvalidArgument"),
            ("OSS4-HMAC-SHA256 Credential=AK/20240315/cn-hangzhou/oss/aliyun_v4_request,AdditionalHeaders=,Signature=ab", "InvalidArgument"),
            ("OSS4-HMAC-SHA256 Credential=AK/2024/cn-hangzhou/oss/aliyun_v4_request,Signature=ab", "InvalidArgument"),
            ("OSS4-HMAC-SHA256 Credential=AK/20240315/cn-hangzhou/s3/aliyun_v4_request,Signature=ab", "InvalidArgument"),
            ("OSS4-HMAC-SHA256 Credential=AK/20240315/cn-hangzhou/oss/aliyun_v4_request,Signature=ab,Bogus=1", "InvalidArgument"),
        ])
    func malformedAuthorization(header: String, code: String) {
        let error = #expect(throws: OSSError.self) { try OSSAuthorization(parsing: header) }
        #expect(error?.code == code)
    }

    static let v4PTarget =
        "/example-bucket/photos%2F2024%2Fcat.jpg?x-oss-signature-version=OSS4-HMAC-SHA256&x-oss-credential=AKIDEXAMPLE%2F20240315%2Fcn-hangzhou%2Foss%2Faliyun_v4_request&x-oss-date=20240315T083000Z&x-oss-expires=3600&response-content-type=text%2Fplain&x-oss-signature=56347cce305078c13c59394929e892597fda0e34211fe57f24b480171618823c"
}
