import Foundation
import OSSProtocol
import Testing

@Suite("PostObject policies and form signatures (§3.8, POST-V1 and POST-V4 vectors of §2.9)")
struct PostPolicyTests {
    static let v1Policy =
        "eyJleHBpcmF0aW9uIjoiMjAyNC0wMy0xNVQwOTozMDowMC4wMDBaIiwiY29uZGl0aW9ucyI6W3siYnVja2V0IjoiZXhhbXBsZS1idWNrZXQifSxbImNvbnRlbnQtbGVuZ3RoLXJhbmdlIiwxLDEwNDg1NzYwXSxbInN0YXJ0cy13aXRoIiwiJGtleSIsInVzZXIvYWxpY2UvIl1dfQ=="
    static let v4Policy =
        "eyJleHBpcmF0aW9uIjoiMjAyNC0wMy0xNVQwOTozMDowMC4wMDBaIiwiY29uZGl0aW9ucyI6W3siYnVja2V0IjoiZXhhbXBsZS1idWNrZXQifSx7Ingtb3NzLXNpZ25hdHVyZS12ZXJzaW9uIjoiT1NTNC1ITUFDLVNIQTI1NiJ9LHsieC1vc3MtY3JlZGVudGlhbCI6IkFLSURFWEFNUExFLzIwMjQwMzE1L2NuLWhhbmd6aG91L29zcy9hbGl5dW5fdjRfcmVxdWVzdCJ9LHsieC1vc3MtZGF0ZSI6IjIwMjQwMzE1VDA4MzAwMFoifSxbImNvbnRlbnQtbGVuZ3RoLXJhbmdlIiwxLDEwNDg1NzYwXSxbInN0YXJ0cy13aXRoIiwiJGtleSIsInVzZXIvYWxpY2UvIl1dfQ=="

    static func fields(_ pairs: [(String, String)]) -> OSSFormFields { OSSFormFields(pairs.map { (name: $0.0, value: $0.1) }) }

    @Test("the POST-V1 policy parses into its expiration and conditions")
    func parsesVector() throws {
        let policy = try OSSPostPolicy(base64: Self.v1Policy)
        #expect(policy.expiration == Date(timeIntervalSince1970: 1_710_495_000))
        #expect(
            policy.conditions == [
                .equals(field: "bucket", value: "example-bucket"), .contentLengthRange(1...10_485_760),
                .startsWith(field: "key", prefix: "user/alice/"),
            ])
        #expect(policy.contentLengthRange == 1...10_485_760)
    }

    @Test("conditions: eq, starts-with, in, not-in, bucket, missing fields, case-insensitive names")
    func conditions() throws {
        let policy = OSSPostPolicy(
            expiration: Fixture.now.addingTimeInterval(60),
            conditions: [
                .equals(field: "bucket", value: "example-bucket"), .startsWith(field: "key", prefix: "user/alice/"),
                .oneOf(field: "Content-Type", values: ["image/png", "image/jpeg"]), .noneOf(field: "x-oss-meta-a", values: ["bad"]),
                .startsWith(field: "x-oss-meta-free", prefix: ""),
            ])
        let good = Self.fields([("key", "user/alice/a.png"), ("content-type", "image/png"), ("X-OSS-META-A", "fine")])
        try policy.check(good, bucket: "example-bucket", now: Fixture.now)
        let failures: [(OSSFormFields, String)] = [
            (Self.fields([("key", "user/bob/a"), ("content-type", "image/png")]), "example-bucket"),
            (Self.fields([("key", "user/alice/a"), ("content-type", "text/plain")]), "example-bucket"),
            (Self.fields([("key", "user/alice/a"), ("content-type", "image/png"), ("x-oss-meta-a", "bad")]), "example-bucket"),
            (Self.fields([("key", "user/alice/a")]), "example-bucket"),
            (good, "other-bucket"),
        ]
        for (fields, bucket) in failures {
            let error = #expect(throws: OSSError.self) { try policy.check(fields, bucket: bucket, now: Fixture.now) }
            #expect(error?.code == "AccessDenied")
            #expect(error?.status == 403)
        }
        let expired = #expect(throws: OSSError.self) {
            try policy.check(good, bucket: "example-bucket", now: Fixture.now.addingTimeInterval(61))
        }
        #expect(expired?.code == "AccessDenied")
        #expect(expired?.message.contains("expired") == true)
    }

    @Test("content-length-range: several ranges intersect, an empty intersection admits nothing")
    func lengthRanges() throws {
        let both = OSSPostPolicy(expiration: Fixture.now, conditions: [.contentLengthRange(1...100), .contentLengthRange(50...200)])
        #expect(both.contentLengthRange == 50...100)
        let disjoint = OSSPostPolicy(expiration: Fixture.now, conditions: [.contentLengthRange(1...10), .contentLengthRange(20...30)])
        #expect(disjoint.contentLengthRange.map { $0.contains(5) || $0.contains(25) } == false)
        #expect(OSSPostPolicy(expiration: Fixture.now, conditions: []).contentLengthRange == nil)
    }

    @Test(
        "malformed policies are InvalidPolicyDocument",
        arguments: [
            "not base64!", "bm90IGpzb24=", "W10=",
            #"{"conditions":[]}"#, #"{"expiration":"tomorrow","conditions":[]}"#,
            #"{"expiration":"2024-03-15T09:30:00.000Z","conditions":{}}"#,
            #"{"expiration":"2024-03-15T09:30:00.000Z","conditions":[["eq","key","v"]]}"#,
            #"{"expiration":"2024-03-15T09:30:00.000Z","conditions":[["matches","$key","v"]]}"#,
            #"{"expiration":"2024-03-15T09:30:00.000Z","conditions":[["content-length-range",10,1]]}"#,
            #"{"expiration":"2024-03-15T09:30:00.000Z","conditions":[["content-length-range",1.5,2]]}"#,
            #"{"expiration":"2024-03-15T09:30:00.000Z","conditions":[["in","$key","v"]]}"#,
            #"{"expiration":"2024-03-15T09:30:00.000Z","conditions":[{"key":1}]}"#,
            #"{"expiration":"2024-03-15T09:30:00.000Z","conditions":[["eq","$key"]]}"#,
        ])
    func malformed(text: String) {
        let base64 = text.hasPrefix("{") ? Data(text.utf8).base64EncodedString() : text
        let error = #expect(throws: OSSError.self) { try OSSPostPolicy(base64: base64) }
        #expect(error?.code == "InvalidPolicyDocument")
        #expect(error?.status == 400)
    }

    @Test("V1 form signature: the POST-V1 vector verifies, a changed policy or secret does not")
    func v1Signature() throws {
        let form = Self.fields([("OSSAccessKeyId", "AKIDEXAMPLE"), ("Signature", "LUJQUVoo6zavwb4AV3/BTT7ngAU=")])
        let signature = try #require(try OSSPostFormSignature(form))
        #expect(signature == .v1(accessKeyID: "AKIDEXAMPLE", signature: "LUJQUVoo6zavwb4AV3/BTT7ngAU="))
        let policy = try OSSPostPolicy(base64: Self.v1Policy)
        try signature.verify(policyBase64: Self.v1Policy, policy: policy, secret: "SKEXAMPLEsecret", now: Fixture.now)
        let wrongSecret = #expect(throws: OSSError.self) {
            try signature.verify(policyBase64: Self.v1Policy, policy: policy, secret: "other", now: Fixture.now)
        }
        #expect(wrongSecret?.code == "SignatureDoesNotMatch")
        #expect(wrongSecret?.detail("StringToSign") == Self.v1Policy)
    }

    @Test("V4 form signature: the POST-V4 vector verifies; dates are checked")
    func v4Signature() throws {
        let form = Self.fields([
            ("x-oss-signature-version", "OSS4-HMAC-SHA256"), ("x-oss-credential", Fixture.credential.value),
            ("x-oss-date", "20240315T083000Z"),
            ("x-oss-signature", "ae4215b9975316672984caf5f43612aa32c759d753342b323c20d31f35045d7b"),
        ])
        let signature = try #require(try OSSPostFormSignature(form))
        #expect(signature.accessKeyID == "AKIDEXAMPLE")
        let policy = try OSSPostPolicy(base64: Self.v4Policy)
        try signature.verify(policyBase64: Self.v4Policy, policy: policy, secret: "SKEXAMPLEsecret", now: Fixture.now)
        // 15 minutes ahead of the server is the limit; 7 days old is the other.
        try signature.verify(policyBase64: Self.v4Policy, policy: policy, secret: "SKEXAMPLEsecret", now: Fixture.now.addingTimeInterval(-900))
        for now in [Fixture.now.addingTimeInterval(-901), Fixture.now.addingTimeInterval(7 * 86400 + 1)] {
            let error = #expect(throws: OSSError.self) {
                try signature.verify(policyBase64: Self.v4Policy, policy: policy, secret: "SKEXAMPLEsecret", now: now)
            }
            #expect(error?.code == "AccessDenied")
        }
        // A V4 policy must name the form's signing fields.
        let bare = try OSSPostPolicy(base64: PostPolicyTests.v1Policy)
        let unnamed = #expect(throws: OSSError.self) {
            try signature.verify(policyBase64: Self.v4Policy, policy: bare, secret: "SKEXAMPLEsecret", now: Fixture.now)
        }
        #expect(unnamed?.code == "AccessDenied")
        let otherDay = try #require(try OSSPostFormSignature(Self.fields([
            ("x-oss-signature-version", "OSS4-HMAC-SHA256"), ("x-oss-credential", Fixture.credential.value),
            ("x-oss-date", "20240316T083000Z"), ("x-oss-signature", "00"),
        ])))
        let dayError = #expect(throws: OSSError.self) {
            try otherDay.verify(policyBase64: Self.v4Policy, policy: policy, secret: "SKEXAMPLEsecret", now: Fixture.now)
        }
        #expect(dayError?.code == "InvalidArgument")
    }

    @Test("forms without signature fields are anonymous; incomplete ones are refused")
    func signatureFields() throws {
        #expect(try OSSPostFormSignature(Self.fields([("key", "k"), ("policy", "p")])) == nil)
        for incomplete in [
            [("OSSAccessKeyId", "AK")], [("Signature", "s")], [("x-oss-signature-version", "OSS4-HMAC-SHA256")],
            [("x-oss-signature", "s")], [("x-oss-signature-version", "OSS5"), ("x-oss-signature", "s")],
            [("x-oss-signature-version", "OSS4-HMAC-SHA256"), ("x-oss-credential", "bad"), ("x-oss-date", "d"), ("x-oss-signature", "s")],
        ] {
            let error = #expect(throws: OSSError.self) { try OSSPostFormSignature(Self.fields(incomplete)) }
            #expect(error?.code == "InvalidArgument", "\(incomplete)")
        }
    }

    @Test("PostResponse round-trips")
    func postResponse() throws {
        let response = OSSPostResponse(bucket: "b", location: "http://h/b/k", key: "k", etag: "\"E\"")
        #expect(
            response.xml
                == "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<PostResponse><Bucket>b</Bucket><Location>http://h/b/k</Location><Key>k</Key><ETag>&quot;E&quot;</ETag></PostResponse>")
        #expect(try OSSPostResponse(parsing: Data(response.xml.utf8)) == response)
    }

    @Test("policies encode to the JSON a reader expects, escaping what JSON requires, and read back unchanged")
    func encodes() throws {
        let policy = OSSPostPolicy(
            expiration: Date(timeIntervalSince1970: 1_710_495_000),
            conditions: [
                .equals(field: "bucket", value: "example-bucket"), .startsWith(field: "key", prefix: "user/\"q\"/\\"),
                .contentLengthRange(1...10_485_760), .oneOf(field: "x-oss-meta-a", values: ["1", "tab\there"]),
                .noneOf(field: "Content-Type", values: []), .equals(field: "x-oss-meta-b", value: "bell\u{7}"),
            ])
        // Written out by hand from RFC 8259, not from the encoder.
        let expected =
            #"{"expiration":"2024-03-15T09:30:00.000Z","conditions":[["eq","$bucket","example-bucket"],"#
            + #"["starts-with","$key","user/\"q\"/\\"],["content-length-range",1,10485760],"#
            + #"["in","$x-oss-meta-a",["1","tab\there"]],["not-in","$Content-Type",[]],"#
            + #"["eq","$x-oss-meta-b","bell\u0007"]]}"#
        #expect(policy.json == expected)
        #expect(policy.base64Encoded == Data(expected.utf8).base64EncodedString())
        #expect(try OSSPostPolicy(base64: policy.base64Encoded) == policy)
    }
}
