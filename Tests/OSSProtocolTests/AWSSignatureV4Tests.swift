import Foundation
import OSSProtocol
import Testing

/// The examples of Amazon's S3 SigV4 documentation ("Signature Calculations for the
/// Authorization Header: Transferring Payload in a Single Chunk"): example credentials, bucket
/// `examplebucket`, 24 May 2013. Expected values are the documentation's.
@Suite("AWS Signature V4 (S3): Amazon's published examples")
struct AWSSignatureV4Tests {
    static let accessKeyID = "AKIAIOSFODNN7EXAMPLE"
    static let secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
    static let scope = AWSSignatureV4.Scope(timestamp: "20130524T000000Z", region: "us-east-1")

    static func sign(
        _ method: String, _ path: String, query: [(name: String, value: String)] = [],
        headers: [(name: String, value: String)], payload: String
    ) -> (request: String, signature: String) {
        let (request, _) = AWSSignatureV4.canonicalRequest(
            method: method, path: path, query: query, headers: headers, payloadHash: payload)
        let text = AWSSignatureV4.stringToSign(canonicalRequest: request, timestamp: "20130524T000000Z", scope: scope)
        return (request, AWSSignatureV4.signature(stringToSign: text, signingKey: AWSSignatureV4.signingKey(secret: secret, scope: scope)))
    }

    @Test("GET Object with a Range header")
    func getObject() {
        let (request, signature) = Self.sign(
            "GET", "/test.txt",
            headers: [
                ("Host", "examplebucket.s3.amazonaws.com"), ("Range", "bytes=0-9"),
                ("x-amz-content-sha256", AWSSignatureV4.emptyPayloadSHA256), ("x-amz-date", "20130524T000000Z"),
            ],
            payload: AWSSignatureV4.emptyPayloadSHA256)
        #expect(request == """
            GET
            /test.txt

            host:examplebucket.s3.amazonaws.com
            range:bytes=0-9
            x-amz-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
            x-amz-date:20130524T000000Z

            host;range;x-amz-content-sha256;x-amz-date
            e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
            """)
        #expect(signature == "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41")
    }

    @Test("PUT Object with a storage class and a signed body")
    func putObject() {
        let payload = "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072"
        let (_, signature) = Self.sign(
            "PUT", "/test$file.text",
            headers: [
                ("Host", "examplebucket.s3.amazonaws.com"), ("Date", "Fri, 24 May 2013 00:00:00 GMT"),
                ("x-amz-storage-class", "REDUCED_REDUNDANCY"), ("x-amz-content-sha256", payload),
                ("x-amz-date", "20130524T000000Z"),
            ],
            payload: payload)
        #expect(signature == "98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd")
    }

    @Test("GET Bucket lifecycle (an empty-valued parameter) and list objects (sorted parameters)")
    func queries() {
        let headers: [(name: String, value: String)] = [
            ("Host", "examplebucket.s3.amazonaws.com"), ("x-amz-content-sha256", AWSSignatureV4.emptyPayloadSHA256),
            ("x-amz-date", "20130524T000000Z"),
        ]
        let lifecycle = Self.sign("GET", "/", query: [("lifecycle", "")], headers: headers, payload: AWSSignatureV4.emptyPayloadSHA256)
        #expect(lifecycle.signature == "fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543")
        let list = Self.sign(
            "GET", "/", query: [("prefix", "J"), ("max-keys", "2")], headers: headers, payload: AWSSignatureV4.emptyPayloadSHA256)
        #expect(list.signature == "34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7")
    }

    @Test("the signed headers carry the date, the payload hash and a well-formed Authorization")
    func signedHeaders() throws {
        let date = try #require(OSSDateFormat.date(v4Timestamp: "20130524T000000Z"))
        let added = AWSSignatureV4.signedHeaders(
            method: "GET", path: "/test.txt", query: [],
            headers: [("Host", "examplebucket.s3.amazonaws.com"), ("Range", "bytes=0-9")],
            payloadHash: AWSSignatureV4.emptyPayloadSHA256, accessKeyID: Self.accessKeyID, secret: Self.secret,
            region: "us-east-1", date: date)
        #expect(added.first { $0.name == "x-amz-date" }?.value == "20130524T000000Z")
        #expect(added.first { $0.name == "Authorization" }?.value == """
            AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, \
            SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, \
            Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41
            """)
    }
}
