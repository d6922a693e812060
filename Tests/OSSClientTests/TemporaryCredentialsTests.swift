import AsyncHTTPClient
import Foundation
import NIOCore
import OSSClient
import OSSServer
import Testing

@Suite("Temporary (STS) credentials: the security token travels with every request and form")
struct TemporaryCredentialsTests {
    static let bucket = TestServer.bucket
    static let valid = OSSTemporaryCredentials(
        accessKeyID: "STS.valid", secret: "sts-secret", securityToken: "CAIS+token/with=odd&chars",
        expiration: Date().addingTimeInterval(3600))
    static let expired = OSSTemporaryCredentials(
        accessKeyID: "STS.expired", secret: "old-secret", securityToken: "old-token",
        expiration: Date().addingTimeInterval(-60))

    static func run(_ body: @Sendable (TestServer) async throws -> Void) async throws {
        try await TestServer.run(temporaryCredentials: [valid, expired], body)
    }

    static func client(_ server: TestServer, _ credentials: OSSCredentials, _ version: OSSSignatureVersion) -> OSSClient {
        TestServer.client(port: server.port, signatureVersion: version, credentials: credentials)
    }

    @Test("Objects, multipart transfers, presigned URLs and forms work with the token", arguments: [OSSSignatureVersion.v4, .v1])
    func everythingWithToken(version: OSSSignatureVersion) async throws {
        try await Self.run { server in
            let client = Self.client(server, Self.valid.credentials, version)
            defer { Task { try? await client.shutdown() } }
            let bytes = TestBytes.random(count: 70_000, seed: 31)
            let put = try await client.putObject(OSSPutObjectRequest(bucket: Self.bucket, key: "sts/a", body: .bytes(bytes)))
            #expect(put.crcVerification == .verified(TestBytes.crc(bytes)))
            #expect(try await client.getObject(bucket: Self.bucket, key: "sts/a").body == bytes)

            let (file, fileBytes) = try server.makeFile("sts.bin", size: 600_000, seed: 32)
            let uploader = OSSUploader(
                client: client, options: OSSUploaderOptions(partSize: 100 << 10, multipartThreshold: 200_000))
            let uploaded = try await uploader.upload(file: file, bucket: Self.bucket, key: "sts/multipart")
            #expect(uploaded.crcVerification == .verified(TestBytes.crc(fileBytes)))

            let http = HTTPClient(eventLoopGroupProvider: .singleton)
            defer { _ = http.shutdown() }
            let url = try await client.presign(OSSPresignRequest(method: .get, bucket: Self.bucket, key: "sts/a"))
            #expect(url.url.contains(version == .v1 ? "security-token=" : "x-oss-security-token="))
            let fetched = try await http.execute(HTTPClientRequest(url: url.url), timeout: .seconds(30))
            #expect(fetched.status == .ok)
            #expect(Array(buffer: try await fetched.body.collect(upTo: 1 << 20)) == bytes)

            let posted = try await client.postObject(
                OSSPostObjectRequest(bucket: Self.bucket, key: "sts/form", body: .bytes(bytes)))
            #expect(posted.crcVerification == .verified(TestBytes.crc(bytes)))
            let form = try await client.presignPostForm(OSSPostFormRequest(bucket: Self.bucket, key: .exact("sts/browser")))
            #expect(form.value(of: "x-oss-security-token") == Self.valid.credentials.securityToken)
            let browser = try await BrowserForm.post(http, form, file: bytes, fileName: "b", extra: [])
            #expect(browser.status == 204 && browser.crc64 == TestBytes.crc(bytes))
        }
    }

    @Test("A missing, different or unexpected token and expired credentials are refused", arguments: [OSSSignatureVersion.v4, .v1])
    func refusals(version: OSSSignatureVersion) async throws {
        try await Self.run { server in
            let cases: [(OSSCredentials, String, String?)] = [
                (OSSCredentials(accessKeyID: "STS.valid", secret: "sts-secret"), "InvalidSecurityToken", "0002-00000003"),
                (OSSCredentials(accessKeyID: "STS.valid", secret: "sts-secret", securityToken: "forged"), "InvalidSecurityToken", "0002-00000006"),
                (Self.expired.credentials, "SecurityTokenExpired", "0002-00000007"),
                (OSSCredentials(
                    accessKeyID: TestServer.credentials.accessKeyID, secret: TestServer.credentials.secret,
                    securityToken: "stray"), "InvalidSecurityToken", "0002-00000006"),
            ]
            for (credentials, code, ec) in cases {
                let client = Self.client(server, credentials, version)
                let error = await #expect(throws: OSSClientError.self) {
                    try await client.putObject(OSSPutObjectRequest(bucket: Self.bucket, key: "refused", body: .bytes([1])))
                }
                guard let service = error?.serviceError else {
                    Issue.record("expected a service error for \(credentials.accessKeyID), got \(String(describing: error))")
                    try await client.shutdown()
                    continue
                }
                #expect(service.status == 403)
                #expect(service.code == code, "\(credentials)")
                #expect(service.ec == ec, "\(credentials)")
                // A presigned URL and a form with the same credentials fail the same way.
                let http = HTTPClient(eventLoopGroupProvider: .singleton)
                let url = try await client.presign(OSSPresignRequest(method: .get, bucket: Self.bucket, key: "x"))
                let response = try await http.execute(HTTPClientRequest(url: url.url), timeout: .seconds(30))
                #expect(response.status == .forbidden)
                let form = try await client.presignPostForm(OSSPostFormRequest(bucket: Self.bucket, key: .exact("x")))
                let posted = try await BrowserForm.post(http, form, file: [1], fileName: "x", extra: [])
                #expect(posted.status == 403)
                #expect(String(decoding: posted.body, as: UTF8.self).contains("<Code>\(code)</Code>"))
                try await http.shutdown()
                try await client.shutdown()
            }
            #expect(try await !server.client.objectExists(bucket: Self.bucket, key: "refused"))
            #expect(try await !server.client.objectExists(bucket: Self.bucket, key: "x"))
        }
    }

    @Test("The environment provider reads OSS_SESSION_TOKEN as the official SDKs do")
    func environmentToken() async throws {
        let provider = OSSEnvironmentCredentialsProvider(environment: [
            "OSS_ACCESS_KEY_ID": "STS.env", "OSS_ACCESS_KEY_SECRET": "s", "OSS_SESSION_TOKEN": "t",
        ])
        #expect(try await provider.credentials() == OSSCredentials(accessKeyID: "STS.env", secret: "s", securityToken: "t"))
        let permanent = OSSEnvironmentCredentialsProvider(environment: [
            "OSS_ACCESS_KEY_ID": "LTAI", "OSS_ACCESS_KEY_SECRET": "s", "OSS_SESSION_TOKEN": "",
        ])
        #expect(try await permanent.credentials().securityToken == nil)
    }
}
