import Foundation
import OSSProtocol
import Testing

@Suite("Signature V1 vectors (§2.9)")
struct SignatureV1Tests {
    static let v1AHeaders: [(name: String, value: String)] = [
        ("Content-MD5", "s1OmrHpu6JI29tVvgWlLuw=="), ("Content-Type", "image/jpeg"),
        ("x-oss-meta-Author", "alice"), ("x-oss-meta-project", "swift-oss"), ("x-oss-object-acl", "private"),
        ("x-oss-forbid-overwrite", "true"), ("date", Fixture.httpDate),
    ]

    @Test("V1-A: PutObject, the oss2 and v2 paths sign the same decoded key")
    func putObject() throws {
        let expected = Fixture.lines(
            "PUT", "s1OmrHpu6JI29tVvgWlLuw==", "image/jpeg", Fixture.httpDate, "x-oss-forbid-overwrite:true",
            "x-oss-meta-author:alice", "x-oss-meta-project:swift-oss", "x-oss-object-acl:private",
            "/example-bucket/photos/2024/cat.jpg")
        for target in ["/example-bucket/photos%2F2024%2Fcat.jpg", "/example-bucket/photos/2024/cat.jpg"] {
            let request = try Fixture.received("PUT", target, Self.v1AHeaders)
            let stringToSign = OSSSignatureV1.stringToSign(for: request)
            #expect(stringToSign == expected)
            #expect(
                OSSSignatureV1.signature(stringToSign: stringToSign, secret: Fixture.credentials.secret)
                    == "5ndnDrTOAra74STbuURjng8yZG4=")
        }
    }

    @Test("V1-A: the client signer produces the same Authorization")
    func clientSign() {
        var request = OSSRequest(
            method: "PUT", bucket: Fixture.bucket, key: "photos/2024/cat.jpg",
            headers: Array(Self.v1AHeaders.dropLast()))
        OSSSignatureV1.sign(&request, credentials: Fixture.credentials, date: Fixture.now)
        #expect(request.header("Date") == Fixture.httpDate)
        #expect(request.header("Authorization") == "OSS AKIDEXAMPLE:5ndnDrTOAra74STbuURjng8yZG4=")
    }

    @Test("V1-B: AppendObject, `append` and `append=` sign alike")
    func appendObject() throws {
        let headers: [(name: String, value: String)] = [
            ("Content-Type", "text/plain"), ("x-oss-meta-source", "unit-test"), ("Date", Fixture.httpDate),
        ]
        for target in ["/example-bucket/logs/app.log?append&position=0", "/example-bucket/logs/app.log?append=&position=0"] {
            let request = try Fixture.received("POST", target, headers)
            let stringToSign = OSSSignatureV1.stringToSign(for: request)
            #expect(
                stringToSign
                    == Fixture.lines(
                        "POST", "", "text/plain", Fixture.httpDate, "x-oss-meta-source:unit-test",
                        "/example-bucket/logs/app.log?append&position=0"))
            #expect(OSSSignatureV1.signature(stringToSign: stringToSign, secret: "SKEXAMPLEsecret") == "1ZMnnos7WkzWL4l7rYGhxlLlbpQ=")
        }
    }

    @Test("V1-C: UploadPart sub-resources are sorted")
    func uploadPart() throws {
        let request = try Fixture.received(
            "PUT", "/example-bucket/big%2Ffile.bin?uploadId=0004B9895DBBB6EC98E36&partNumber=3",
            [("Date", Fixture.httpDate)])
        let stringToSign = OSSSignatureV1.stringToSign(for: request)
        #expect(stringToSign.hasSuffix("\n/example-bucket/big/file.bin?partNumber=3&uploadId=0004B9895DBBB6EC98E36"))
        #expect(OSSSignatureV1.signature(stringToSign: stringToSign, secret: "SKEXAMPLEsecret") == "rcxp0RHe+ztcf7NriDNGe5r6P9o=")
    }

    @Test("V1-D: listing parameters are not signed; oss2 and v2 variants")
    func listObjects() throws {
        let target = "/example-bucket/?prefix=photos%2F&delimiter=%2F&marker&max-keys=100&encoding-type=url"
        let oss2 = try Fixture.received("GET", target, [("date", Fixture.httpDate)])
        #expect(OSSSignatureV1.stringToSign(for: oss2) == "GET\n\n\n\(Fixture.httpDate)\n/example-bucket/")
        #expect(sign(oss2) == "wWpyB1RUddpo+ek5t+XYUj7+9Y0=")

        let v2 = try Fixture.received("GET", target, Self.v2EmptyBodyHeaders)
        #expect(
            OSSSignatureV1.stringToSign(for: v2)
                == "GET\n1B2M2Y8AsgTpgAmY7PhCfg==\napplication/octet-stream\n\(Fixture.httpDate)\n/example-bucket/")
        #expect(sign(v2) == "zQhUKd6Ohj+yZ6VLzbZ28yiX+zM=")
    }

    @Test("V1-D: ListBuckets signs `/`")
    func listBuckets() throws {
        let oss2 = try Fixture.received("GET", "/?prefix&marker&max-keys=100", [("date", Fixture.httpDate)])
        #expect(OSSSignatureV1.stringToSign(for: oss2).hasSuffix("\n/"))
        #expect(sign(oss2) == "Rt2le8/yA1iWni/6lFkP8242AbU=")
        let v2 = try Fixture.received("GET", "/", Self.v2EmptyBodyHeaders)
        #expect(sign(v2) == "FRCujdzHVGfaWbJN0hBdbX/cKxk=")
    }

    @Test("V1-E: the unusual key is signed raw")
    func unusualKey() throws {
        for target in [
            "/example-bucket/a%20b%2Fc%2Bd%25e~f%E4%B8%AD.txt", "/example-bucket/a%20b/c%2Bd%25e~f%E4%B8%AD.txt",
        ] {
            let request = try Fixture.received("GET", target, [("Date", Fixture.httpDate)])
            #expect(OSSSignatureV1.stringToSign(for: request).hasSuffix("\n/example-bucket/a b/c+d%e~f中.txt"))
            #expect(sign(request) == "D0ocgu1me+BIXDaiw3X/S4gb7Uo=")
        }
    }

    @Test("V1-P: presigned GET, oss2 signs x-oss-traffic-limit as a sub-resource")
    func presignedGet() throws {
        let expires = Date(timeIntervalSince1970: 1_710_495_000)
        let request = OSSRequest(
            method: "GET", bucket: Fixture.bucket, key: "photos/2024/cat.jpg",
            query: [
                OSSQueryItem(name: "response-content-disposition", value: "attachment; filename=\"cat.jpg\""),
                OSSQueryItem(name: "x-oss-traffic-limit", value: "819200"),
            ])
        #expect(
            OSSSignatureV1.stringToSign(for: request, dateSlot: "1710495000")
                == Fixture.lines(
                    "GET", "", "", "1710495000",
                    "/example-bucket/photos/2024/cat.jpg?response-content-disposition=attachment; filename=\"cat.jpg\"&x-oss-traffic-limit=819200"
                ))
        var signed = request
        signed.query += OSSSignatureV1.presignedQuery(for: request, credentials: Fixture.credentials, expires: expires)
        #expect(
            signed.encodedPath(style: .path) + "?" + signed.encodedQuery
                == "/example-bucket/photos%2F2024%2Fcat.jpg?response-content-disposition=attachment%3B%20filename%3D%22cat.jpg%22&x-oss-traffic-limit=819200&OSSAccessKeyId=AKIDEXAMPLE&Expires=1710495000&Signature=DPzTDsprRssIJi2UisfKsfBJWNo%3D"
        )
    }

    @Test("V1-P: the v2 variant signs traffic-limit as a header")
    func presignedGetV2() {
        let request = OSSRequest(
            method: "GET", bucket: Fixture.bucket, key: "photos/2024/cat.jpg",
            query: [OSSQueryItem(name: "response-content-disposition", value: "attachment; filename=\"cat.jpg\"")],
            headers: [("x-oss-traffic-limit", "819200")])
        let query = OSSSignatureV1.presignedQuery(
            for: request, credentials: Fixture.credentials, expires: Date(timeIntervalSince1970: 1_710_495_000))
        #expect(query.value(for: "Signature") == "/ynQthHdkfC65rapW/tgZuiHdvA=")
    }

    @Test("POST-V1: PostObject policy signature")
    func postPolicyV1() {
        let policy =
            "eyJleHBpcmF0aW9uIjoiMjAyNC0wMy0xNVQwOTozMDowMC4wMDBaIiwiY29uZGl0aW9ucyI6W3siYnVja2V0IjoiZXhhbXBsZS1idWNrZXQifSxbImNvbnRlbnQtbGVuZ3RoLXJhbmdlIiwxLDEwNDg1NzYwXSxbInN0YXJ0cy13aXRoIiwiJGtleSIsInVzZXIvYWxpY2UvIl1dfQ=="
        let json =
            #"{"expiration":"2024-03-15T09:30:00.000Z","conditions":[{"bucket":"example-bucket"},["content-length-range",1,10485760],["starts-with","$key","user/alice/"]]}"#
        #expect(Data(json.utf8).base64EncodedString() == policy)
        #expect(OSSPostPolicySignature.v1(policyBase64: policy, secret: "SKEXAMPLEsecret") == "LUJQUVoo6zavwb4AV3/BTT7ngAU=")
    }

    static let v2EmptyBodyHeaders: [(name: String, value: String)] = [
        ("Content-MD5", "1B2M2Y8AsgTpgAmY7PhCfg=="), ("Content-Type", "application/octet-stream"),
        ("Date", Fixture.httpDate),
    ]

    private func sign(_ request: OSSRequest) -> String {
        OSSSignatureV1.signature(stringToSign: OSSSignatureV1.stringToSign(for: request), secret: "SKEXAMPLEsecret")
    }
}
