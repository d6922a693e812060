import Foundation
import OSSProtocol
import Testing

/// OSS signature version 2 (oss2's `AuthV2`). Vectors 1–4 are the examples of Alibaba's V2
/// documentation (key pair, requests and signatures as published); 5–7 were computed with
/// Python's `hmac` from oss2's algorithm, independently of this code.
@Suite("Signature V2: Alibaba's examples, the server's verification, and what must fail")
struct SignatureV2Tests {
    static let credentials = OSSCredentials(
        accessKeyID: "44CF9590006BF252F707", secret: "OtxrzxIsfpFjA7SwPzILwy8Bw21TLhquhboDYROV")
    static func secrets(_ id: String) -> String? { id == credentials.accessKeyID ? credentials.secret : nil }

    static func received(_ method: String, _ target: String, _ headers: [(name: String, value: String)]) throws
        -> OSSRequest
    {
        try Fixture.received(method, target, headers)
    }

    @Test("V2-1: PUT with Content-MD5, Content-Type and an x-oss header")
    func put() throws {
        let request = try Self.received(
            "PUT", "/oss-example/nelson",
            [
                ("Content-MD5", "FxqG8Ca0qEJPOghSihJ8Ew=="), ("Content-Type", "text/plain"),
                ("x-oss-object-acl", "private"), ("Date", "Wed, 15 Feb 2017 09:37:11 GMT"),
            ])
        let stringToSign = OSSSignatureV2.stringToSign(for: request, additionalHeaders: [])
        #expect(
            stringToSign
                == "PUT\nFxqG8Ca0qEJPOghSihJ8Ew==\ntext/plain\nWed, 15 Feb 2017 09:37:11 GMT\nx-oss-object-acl:private\n\n%2Foss-example%2Fnelson")
        #expect(
            OSSSignatureV2.signature(stringToSign: stringToSign, secret: Self.credentials.secret)
                == "5Am2ewK1tL0gXX7GV6dwybZtj7efOEtc0Mo2FR6CkM8=")
        var signed = request
        signed.setHeader(
            "Authorization", "OSS2 AccessKeyId:44CF9590006BF252F707,Signature:5Am2ewK1tL0gXX7GV6dwybZtj7efOEtc0Mo2FR6CkM8=")
        let now = try #require(OSSDateFormat.date(httpDate: "Wed, 15 Feb 2017 09:37:11 GMT"))
        #expect(try OSSRequestVerifier().verify(signed, now: now, secret: Self.secrets) == "44CF9590006BF252F707")
    }

    @Test("V2-2: GET with additional headers, listed in any order and with the Java SDK's spaces")
    func additionalHeaders() throws {
        let headers: [(name: String, value: String)] = [
            ("Range", "bytes=0-7"), ("If-Modified-Since", "Thu, 16 Feb 2017 02:10:39 GMT"),
            ("Date", "Thu, 16 Feb 2017 02:09:39 GMT"),
        ]
        let request = try Self.received("GET", "/oss-example/nelson", headers)
        let stringToSign = OSSSignatureV2.stringToSign(for: request, additionalHeaders: ["range", "if-modified-since"])
        #expect(
            stringToSign
                == "GET\n\n\nThu, 16 Feb 2017 02:09:39 GMT\nif-modified-since:Thu, 16 Feb 2017 02:10:39 GMT\nrange:bytes=0-7\nif-modified-since;range\n%2Foss-example%2Fnelson")
        let signature = "YG9mKO3m4S0Jx9Hk6Lq64VchJg/TOTkyCX4DaeeOYxE="
        #expect(OSSSignatureV2.signature(stringToSign: stringToSign, secret: Self.credentials.secret) == signature)
        let now = try #require(OSSDateFormat.date(httpDate: "Thu, 16 Feb 2017 02:09:39 GMT"))
        for authorization in [
            "OSS2 AccessKeyId:44CF9590006BF252F707,AdditionalHeaders:range;if-modified-since,Signature:\(signature)",
            "OSS2 AccessKeyId:44CF9590006BF252F707, AdditionalHeaders:if-modified-since;range, Signature:\(signature)",
        ] {
            let signed = try Self.received("GET", "/oss-example/nelson", headers + [("Authorization", authorization)])
            #expect(try OSSRequestVerifier().verify(signed, now: now, secret: Self.secrets) == "44CF9590006BF252F707")
        }
        // The range is signed: another one fails.
        let tampered = try Self.received(
            "GET", "/oss-example/nelson",
            [("Range", "bytes=0-99"), headers[1], headers[2],
             ("Authorization", "OSS2 AccessKeyId:44CF9590006BF252F707,AdditionalHeaders:if-modified-since;range,Signature:\(signature)")])
        let error = #expect(throws: OSSError.self) { try OSSRequestVerifier().verify(tampered, now: now, secret: Self.secrets) }
        #expect(error?.code == "SignatureDoesNotMatch")
    }

    @Test("V2-3 and V2-4: presigned GETs, every query parameter signed")
    func presigned() throws {
        for (query, expires, signature) in [
            ("", "1487152431", "ps/+MLhd1WKkVi/QlOiliJsTaBMBk93f6UYVscDNHCQ="),
            ("extra-query=1&", "1487211619", "wsARTPqvZdbdPjYpZfDZ/jisUaacYq7gGOdB3f1BgTE="),
        ] {
            let encoded = OSSPercentEncoding.encode(signature)
            let target = "/oss-example/nelson?\(query)x-oss-signature-version=OSS2&x-oss-expires=\(expires)&x-oss-access-key-id=44CF9590006BF252F707&x-oss-signature=\(encoded)"
            let request = try Self.received("GET", target, [])
            let now = Date(timeIntervalSince1970: Double(expires)! - 60)
            #expect(try OSSRequestVerifier().verify(request, now: now, secret: Self.secrets) == "44CF9590006BF252F707")
            let late = #expect(throws: OSSError.self) {
                try OSSRequestVerifier().verify(request, now: now.addingTimeInterval(120), secret: Self.secrets)
            }
            #expect(late?.code == "AccessDenied")
            if !query.isEmpty {
                // A parameter the URL did not carry when signed breaks it; V1 would not notice.
                let changed = try Self.received("GET", target.replacingOccurrences(of: "extra-query=1", with: "extra-query=2"), [])
                let error = #expect(throws: OSSError.self) {
                    try OSSRequestVerifier().verify(changed, now: now, secret: Self.secrets)
                }
                #expect(error?.code == "SignatureDoesNotMatch")
            }
        }
    }

    @Test("V2-5 to V2-7: sub-resource without a value, encoded keys and query values, ListBuckets")
    func canonicalResources() throws {
        let date = "Wed, 15 Feb 2017 09:37:11 GMT"
        let stat = try Self.received("GET", "/oss-example/?stat", [("Date", date)])
        #expect(
            OSSSignatureV2.stringToSign(for: stat, additionalHeaders: [])
                == "GET\n\n\nWed, 15 Feb 2017 09:37:11 GMT\n\n%2Foss-example%2F?stat")
        #expect(
            OSSSignatureV2.signature(
                stringToSign: OSSSignatureV2.stringToSign(for: stat, additionalHeaders: []), secret: Self.credentials.secret)
                == "n3QinGqzlsg58OgYEyA949su5jkRgckoPXNJMdqVuZI=")
        let part = try Self.received(
            "PUT", "/oss-example/a%20b/%E4%B8%AD.txt?uploadId=ABC%2F%2B%3D&partNumber=1",
            [("Content-Type", "text/plain"), ("x-oss-meta-A", "v"), ("Date", date)])
        let partString = OSSSignatureV2.stringToSign(for: part, additionalHeaders: [])
        #expect(
            partString
                == "PUT\n\ntext/plain\nWed, 15 Feb 2017 09:37:11 GMT\nx-oss-meta-a:v\n\n%2Foss-example%2Fa%20b%2F%E4%B8%AD.txt?partNumber=1&uploadId=ABC%2F%2B%3D")
        #expect(
            OSSSignatureV2.signature(stringToSign: partString, secret: Self.credentials.secret)
                == "8Psty0zB7jus3hHPv6fPV/P4w8tl2fd5+BlUfF/UTgY=")
        let service = try Self.received("GET", "/", [("Date", date)])
        let serviceString = OSSSignatureV2.stringToSign(for: service, additionalHeaders: [])
        #expect(serviceString == "GET\n\n\nWed, 15 Feb 2017 09:37:11 GMT\n\n%2F")
        #expect(
            OSSSignatureV2.signature(stringToSign: serviceString, secret: Self.credentials.secret)
                == "5p64NM7hZQRosb7zJHDr/Pt4dA44pml7a5mgH+uvwvQ=")
    }

    @Test("what a client signs, the server accepts, header and URL, with a security token")
    func roundTrip() throws {
        let temporary = OSSCredentials(accessKeyID: "STS.k", secret: "s3cret", securityToken: "tok")
        var request = OSSRequest(
            method: "GET", bucket: "b", key: "dir/ü k", query: [OSSQueryItem(name: "response-content-type", value: "a/b")],
            headers: [(name: "Range", value: "bytes=1-2")])
        OSSSignatureV2.sign(&request, credentials: temporary, date: Fixture.now, additionalHeaders: ["Range"])
        let verifier = OSSRequestVerifier()
        #expect(try verifier.verify(request, now: Fixture.now, secret: { $0 == "STS.k" ? "s3cret" : nil }) == "STS.k")
        #expect(try OSSRequestAuthentication(request: request).securityToken(of: request) == "tok")
        var url = OSSRequest(method: "GET", bucket: "b", key: "k", query: [], headers: [])
        url.query += OSSSignatureV2.presignedQuery(for: url, credentials: temporary, expires: Fixture.now.addingTimeInterval(60))
        #expect(try verifier.verify(url, now: Fixture.now, secret: { $0 == "STS.k" ? "s3cret" : nil }) == "STS.k")
        #expect(try OSSRequestAuthentication(request: url).securityToken(of: url) == "tok")
    }

    @Test("malformed OSS2 headers and URLs are refused with what is missing", arguments: [
        "OSS2 Signature:abc", "OSS2 AccessKeyId:AK", "OSS2 AccessKeyId:AK,AdditionalHeaders:host;,Signature:x",
        "OSS2 AccessKeyId", 
    ])
    func malformed(header: String) throws {
        let error = #expect(throws: OSSError.self) { try OSSAuthorization(parsing: header) }
        #expect(error?.code == "InvalidArgument")
    }
}
