import Foundation
import OSSProtocol
import Testing

/// Temporary credentials: each scheme carries the token where the SDKs put it, and the signature
/// covers it, so a token swapped after signing is a signature mismatch.
@Suite("Security tokens in V1 and V4 signatures")
struct SecurityTokenSigningTests {
    static let temporary = OSSCredentials(accessKeyID: "STS.EXAMPLE", secret: "sts-secret", securityToken: "CAIS/tok+en=")
    static let unsigned = OSSRequest(method: "GET", bucket: Fixture.bucket, key: "photos/cat.jpg")

    static func verify(_ request: OSSRequest) throws -> (String?, String?) {
        let authentication = try OSSRequestAuthentication(request: request)
        let principal = try OSSRequestVerifier().verify(
            request, authentication: authentication, secret: Self.temporary.secret, now: Fixture.now)
        return (principal, authentication.securityToken(of: request))
    }

    @Test("header signatures send x-oss-security-token and sign it", arguments: ["v1", "v4"])
    func headers(version: String) throws {
        var request = Self.unsigned
        switch version {
        case "v1": OSSSignatureV1.sign(&request, credentials: Self.temporary, date: Fixture.now)
        default: OSSSignatureV4.sign(&request, credentials: Self.temporary, region: Fixture.region, date: Fixture.now)
        }
        #expect(request.header("x-oss-security-token") == "CAIS/tok+en=")
        let (principal, token) = try Self.verify(request)
        #expect(principal == "STS.EXAMPLE")
        #expect(token == "CAIS/tok+en=")
        request.setHeader("x-oss-security-token", "CAIS/other")
        let error = #expect(throws: OSSError.self) { try Self.verify(request) }
        #expect(error?.code == "SignatureDoesNotMatch")
    }

    @Test("presigned URLs carry security-token (V1) or x-oss-security-token (V4) and sign it", arguments: ["v1", "v4"])
    func presigned(version: String) throws {
        let query: [OSSQueryItem]
        switch version {
        case "v1":
            query = OSSSignatureV1.presignedQuery(
                for: Self.unsigned, credentials: Self.temporary, expires: Fixture.now.addingTimeInterval(600))
        default:
            query = OSSSignatureV4.presignedQuery(
                for: Self.unsigned, credentials: Self.temporary, region: Fixture.region, date: Fixture.now,
                expiresIn: 600)
        }
        let name = version == "v1" ? "security-token" : "x-oss-security-token"
        #expect(query.filter { $0.name == name }.map(\.value) == ["CAIS/tok+en="])
        let target = "/\(Fixture.bucket)/photos/cat.jpg?" + OSSQueryItem.encode(query)
        let (principal, token) = try Self.verify(try Fixture.received("GET", target, []))
        #expect(principal == "STS.EXAMPLE")
        #expect(token == "CAIS/tok+en=")
        let swapped = OSSQueryItem.encode(query.map { $0.name == name ? OSSQueryItem(name: name, value: "CAIS/other") : $0 })
        let error = #expect(throws: OSSError.self) {
            try Self.verify(try Fixture.received("GET", "/\(Fixture.bucket)/photos/cat.jpg?" + swapped, []))
        }
        #expect(error?.code == "SignatureDoesNotMatch")
    }

    @Test("permanent credentials send no token")
    func permanent() {
        var request = Self.unsigned
        OSSSignatureV4.sign(&request, credentials: Fixture.credentials, region: Fixture.region, date: Fixture.now)
        #expect(request.header("x-oss-security-token") == nil)
        let query = OSSSignatureV1.presignedQuery(for: Self.unsigned, credentials: Fixture.credentials, expires: Fixture.now)
        #expect(!query.contains { $0.name == "security-token" })
    }

    @Test("a V1 header request may carry the token in the unsigned security-token header (alibabacloud-oss-v2)")
    func v2StyleHeader() throws {
        var request = Self.unsigned
        request.setHeader("security-token", "CAIS/tok+en=")
        OSSSignatureV1.sign(&request, credentials: OSSCredentials(accessKeyID: "STS.EXAMPLE", secret: "sts-secret"), date: Fixture.now)
        let (principal, token) = try Self.verify(request)
        #expect(principal == "STS.EXAMPLE")
        #expect(token == "CAIS/tok+en=")
    }
}
