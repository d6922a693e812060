import CRC64
import Foundation
import HTTPTypes
import HummingbirdTesting
import OSSProtocol
import Testing

@testable import OSSServer

/// PostObject over real HTTP (§3.8): browser forms, V1 and V4 policy signatures, policy
/// conditions, success actions, and malformed forms that must store nothing.
@Suite struct PostObjectTests {
    static let credentials = LiveServer.credentials

    static func signedForm(
        key: String = "user/alice/${filename}", file: [UInt8], conditions: [String]? = nil, extra: [(String, String)] = []
    ) -> BrowserForm {
        var form = BrowserForm()
        form.fields = [("key", key)] + extra
        form.file = ("photo.jpg", "image/jpeg", file)
        let policy = BrowserForm.policy(
            conditions: conditions ?? [
                "{\"bucket\":\"bkt\"}", "[\"content-length-range\",1,10485760]", "[\"starts-with\",\"$key\",\"user/alice/\"]",
            ])
        form.signV1(policy: policy, credentials: credentials)
        return form
    }

    @Test func signedV1FormStoresTheFileWithItsCRC() async throws {
        try await LiveServer.run { server in
            let file = (0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 37) }
            let form = Self.signedForm(
                file: file, extra: [("Content-Type", "image/png"), ("x-oss-meta-Camera", "x100"), ("Cache-Control", "no-cache")])
            let response = try await server.post(form)
            #expect(response.status == .noContent, "204 is the default success_action_status")
            let crc = String(CRC64.xz.checksum(file))
            #expect(response.header("x-oss-hash-crc64ecma") == crc)
            #expect(response.header("ETag") == OSSETag.forBody(file))
            #expect(response.header("x-oss-request-id") != nil)

            let stored = try await server.send(.get, key: "user/alice/photo.jpg")
            #expect(stored.bytes == file)
            #expect(stored.header("x-oss-hash-crc64ecma") == crc)
            #expect(stored.header("Content-Type") == "image/png", "the form's Content-Type field wins")
            #expect(stored.header("x-oss-meta-camera") == "x100")
            #expect(stored.header("Cache-Control") == "no-cache")
            #expect(stored.header("x-oss-object-type") == "Normal")
        }
    }

    @Test func signedV4Form() async throws {
        try await LiveServer.run { server in
            let now = Date()
            let timestamp = OSSDateFormat.v4Timestamp(now)
            let credential = OSSV4Credential(
                accessKeyID: Self.credentials.accessKeyID, date: String(timestamp.prefix(8)), region: "cn-hangzhou")
            let policy = BrowserForm.policy(conditions: [
                "{\"bucket\":\"bkt\"}", "{\"x-oss-signature-version\":\"OSS4-HMAC-SHA256\"}",
                "{\"x-oss-credential\":\"\(credential.value)\"}", "{\"x-oss-date\":\"\(timestamp)\"}",
                "[\"content-length-range\",1,1000]", "[\"in\",\"$content-type\",[\"text/plain\",\"text/csv\"]]",
            ])
            let file = Array("v4 body".utf8)
            var form = BrowserForm(fields: [("key", "v4.txt"), ("content-type", "text/plain")])
            form.file = ("ignored.bin", "application/octet-stream", file)
            form.signV4(policy: policy, credentials: Self.credentials, credential: credential, timestamp: timestamp)
            let response = try await server.post(form)
            #expect(response.status == .noContent)
            #expect(response.header("x-oss-hash-crc64ecma") == String(CRC64.xz.checksum(file)))
            let stored = try await server.send(.get, key: "v4.txt")
            #expect(stored.bytes == file)
            #expect(stored.header("Content-Type") == "text/plain")

            // The form's x-oss-date must be the policy's.
            var mismatched = BrowserForm(fields: [("key", "v4b.txt"), ("content-type", "text/plain")])
            mismatched.file = ("f", "text/plain", file)
            let later = OSSDateFormat.v4Timestamp(now.addingTimeInterval(60))
            mismatched.signV4(policy: policy, credentials: Self.credentials, credential: credential, timestamp: later)
            let refused = try await server.post(mismatched)
            #expect(refused.status == .forbidden)
            #expect(refused.errorCode == "AccessDenied")
            #expect(try await server.send(.head, key: "v4b.txt").status == .notFound)
        }
    }

    @Test func successActions() async throws {
        try await LiveServer.run { server in
            let file = Array("status".utf8)
            let created = try await server.post(Self.signedForm(key: "user/alice/201", file: file, extra: [("success_action_status", "201")]))
            #expect(created.status == .created)
            let document = try OSSPostResponse(parsing: Data(created.bytes))
            #expect(document.bucket == "bkt" && document.key == "user/alice/201")
            #expect(document.etag == OSSETag.forBody(file))
            #expect(document.location.hasSuffix("/bkt/user/alice/201"))
            #expect(created.header("x-oss-hash-crc64ecma") == String(CRC64.xz.checksum(file)))

            let ok = try await server.post(Self.signedForm(key: "user/alice/200", file: file, extra: [("success_action_status", "200")]))
            #expect(ok.status == .ok)
            #expect(ok.body.readableBytes == 0)
            let other = try await server.post(Self.signedForm(key: "user/alice/999", file: file, extra: [("success_action_status", "302")]))
            #expect(other.status == .noContent)

            let redirect = try await server.post(
                Self.signedForm(key: "user/alice/r", file: file, extra: [("success_action_redirect", "https://example.com/done?x=1")]))
            #expect(redirect.status == .seeOther)
            let location = try #require(redirect.header("Location"))
            #expect(location.hasPrefix("https://example.com/done?x=1&bucket=bkt&key=user%2Falice%2Fr&etag="))
            let injected = try await server.post(
                Self.signedForm(key: "user/alice/i", file: file, extra: [("success_action_redirect", "javascript:alert(1)")]))
            #expect(injected.errorCode == "InvalidArgument")
            #expect(try await server.send(.head, key: "user/alice/i").status == .notFound)
        }
    }

    @Test func policyConditionsAndExpiry() async throws {
        try await LiveServer.run { server in
            let file = [UInt8](repeating: 0x41, count: 100)
            let refusals: [(BrowserForm, String)] = [
                (Self.signedForm(key: "user/bob/x", file: file), "starts-with"),
                (Self.signedForm(key: "user/alice/big", file: [UInt8](repeating: 1, count: 200),
                                 conditions: ["[\"content-length-range\",1,150]"]), "too large"),
                (Self.signedForm(key: "user/alice/small", file: [1], conditions: ["[\"content-length-range\",10,150]"]), "too small"),
                (Self.signedForm(key: "user/alice/eq", file: file, conditions: ["[\"eq\",\"$x-oss-meta-a\",\"1\"]"], extra: [("x-oss-meta-a", "2")]), "eq"),
                (Self.signedForm(key: "user/alice/in", file: file, conditions: ["[\"in\",\"$x-oss-meta-a\",[\"1\",\"3\"]]"], extra: [("x-oss-meta-a", "2")]), "in"),
                (Self.signedForm(key: "user/alice/ni", file: file, conditions: ["[\"not-in\",\"$x-oss-meta-a\",[\"2\"]]"], extra: [("x-oss-meta-a", "2")]), "not-in"),
                (Self.signedForm(key: "user/alice/b", file: file, conditions: ["{\"bucket\":\"other\"}"]), "bucket"),
            ]
            for (form, what) in refusals {
                let response = try await server.post(form)
                #expect(response.status == .forbidden, "\(what)")
                #expect(response.errorCode == "AccessDenied", "\(what)")
            }
            for key in ["user/bob/x", "user/alice/big", "user/alice/small", "user/alice/eq", "user/alice/in", "user/alice/ni", "user/alice/b"] {
                #expect(try await server.send(.head, key: key).status == .notFound, "\(key) must not exist")
            }

            var expired = BrowserForm(fields: [("key", "late")])
            expired.file = ("f", "text/plain", file)
            expired.signV1(policy: BrowserForm.policy(conditions: [], lifetime: -60), credentials: Self.credentials)
            let late = try await server.post(expired)
            #expect(late.errorCode == "AccessDenied")
            #expect(late.bodyText.contains("expired"))

            let passing = Self.signedForm(
                key: "user/alice/ok", file: file,
                conditions: ["[\"in\",\"$x-oss-meta-a\",[\"1\",\"2\"]]", "[\"not-in\",\"$x-oss-meta-a\",[\"3\"]]", "[\"eq\",\"$x-oss-meta-a\",\"2\"]"],
                extra: [("X-OSS-META-A", "2")])
            #expect(try await server.post(passing).status == .noContent, "field names compare case-insensitively")

            var badPolicy = BrowserForm(fields: [("key", "k"), ("policy", "not base64!"), ("OSSAccessKeyId", "x"), ("Signature", "y")])
            badPolicy.file = ("f", "text/plain", file)
            #expect(try await server.post(badPolicy).errorCode == "InvalidPolicyDocument")
        }
    }

    @Test func signaturesAndAnonymousForms() async throws {
        try await LiveServer.run { server in
            let file = Array("who?".utf8)
            var wrong = BrowserForm(fields: [("key", "user/alice/w")])
            wrong.file = ("f", "text/plain", file)
            wrong.signV1(policy: BrowserForm.policy(conditions: []), credentials: OSSCredentials(accessKeyID: Self.credentials.accessKeyID, secret: "nope"))
            let mismatch = try await server.post(wrong)
            #expect(mismatch.status == .forbidden)
            #expect(mismatch.errorCode == "SignatureDoesNotMatch")
            var unknown = BrowserForm(fields: [("key", "user/alice/u")])
            unknown.file = ("f", "text/plain", file)
            unknown.signV1(policy: BrowserForm.policy(conditions: []), credentials: OSSCredentials(accessKeyID: "LTAIunknown", secret: "s"))
            #expect(try await server.post(unknown).errorCode == "InvalidAccessKeyId")

            // No signature at all: only a public-read-write bucket takes it.
            var anonymous = BrowserForm(fields: [("key", "anon.txt")])
            anonymous.file = ("f", "text/plain", file)
            let refused = try await server.post(anonymous)
            #expect(refused.status == .forbidden)
            #expect(refused.errorCode == "AccessDenied")
            try await server.send(.put, query: [OSSQueryItem(name: "acl")], headers: [("x-oss-acl", "public-read-write")])
            #expect(try await server.post(anonymous).status == .noContent)
            #expect(try await server.send(.get, key: "anon.txt").bytes == file)
            #expect(try await server.send(.head, key: "user/alice/w").status == .notFound)
        }
    }

    @Test func malformedFormsStoreNothing() async throws {
        try await LiveServer.run { server in
            let file = Array("payload".utf8)
            var long = Self.signedForm(key: "user/alice/long", file: file)
            long.fields.append(("x-oss-meta-long", String(repeating: "v", count: 4097)))
            #expect(try await server.post(long).errorCode == "FieldItemTooLong")

            var noFile = Self.signedForm(key: "user/alice/nofile", file: file)
            noFile.file = nil
            #expect(try await server.post(noFile).errorCode == "InvalidArgument")

            var noKey = Self.signedForm(key: "", file: file)
            noKey.fields.removeAll { $0.name == "key" }
            #expect(try await server.post(noKey).errorCode == "InvalidArgument")

            let notLast = Self.signedForm(key: "user/alice/notlast", file: file)
            var bytes = notLast.body
            bytes.removeLast("--\(notLast.boundary)--\r\n".utf8.count)
            bytes += Array("--\(notLast.boundary)\r\nContent-Disposition: form-data; name=\"after\"\r\n\r\nx\r\n--\(notLast.boundary)--\r\n".utf8)
            let after = try await server.post(body: bytes, contentType: notLast.contentType)
            #expect(after.errorCode == "MalformedPOSTRequest")

            let unterminated = Array(notLast.body.dropLast(10))
            #expect(try await server.post(body: unterminated, contentType: notLast.contentType).errorCode == "MalformedPOSTRequest")
            #expect(try await server.post(body: file, contentType: "application/octet-stream").errorCode == "MalformedPOSTRequest")
            #expect(try await server.post(body: notLast.body, contentType: "multipart/form-data").errorCode == "MalformedPOSTRequest")

            let badMD5 = Self.signedForm(key: "user/alice/md5", file: file, extra: [("Content-MD5", "AAAAAAAAAAAAAAAAAAAAAA==")])
            #expect(try await server.post(badMD5).errorCode == "InvalidDigest")
            let badName = Self.signedForm(key: "user/alice/../../etc", file: file, conditions: [])
            #expect(try await server.post(badName).errorCode == "InvalidObjectName")

            for key in ["user/alice/long", "user/alice/nofile", "user/alice/notlast", "user/alice/md5", "user/alice/photo.jpg"] {
                #expect(try await server.send(.head, key: key).status == .notFound, "\(key)")
            }
            // And the server keeps answering.
            #expect(try await server.post(Self.signedForm(key: "user/alice/fine", file: file)).status == .noContent)
        }
    }
}
