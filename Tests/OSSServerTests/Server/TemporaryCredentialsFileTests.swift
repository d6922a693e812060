import Foundation
import OSSServer
import Testing

@Suite("--sts-credentials files: STS Credentials objects")
struct TemporaryCredentialsFileTests {
    @Test("a list and a single object read; Expiration is ISO 8601")
    func reads() throws {
        let list = try OSSTemporaryCredentials.list(
            json: Data(
                #"[{"AccessKeyId":"STS.a","AccessKeySecret":"s","SecurityToken":"t","Expiration":"2030-01-02T03:04:05Z"}]"#.utf8))
        #expect(list == [
            OSSTemporaryCredentials(
                accessKeyID: "STS.a", secret: "s", securityToken: "t", expiration: Date(timeIntervalSince1970: 1_893_553_445)),
        ])
        let single = try OSSTemporaryCredentials.list(
            json: Data(#"{"AccessKeyId":"STS.b","AccessKeySecret":"s","SecurityToken":"t","Expiration":"2030-01-01T00:00:00.000Z"}"#.utf8))
        #expect(single.map(\.credentials.accessKeyID) == ["STS.b"])
    }

    @Test("broken files name the entry and the field", arguments: [
        ("not json", "is not JSON"),
        (#"[1]"#, "entry 1 is not an object"),
        (#"[{"AccessKeyId":"a","AccessKeySecret":"s","Expiration":"2030-01-01T00:00:00Z"}]"#, "entry 1 has no SecurityToken"),
        (#"[{"AccessKeyId":"a","AccessKeySecret":"s","SecurityToken":"","Expiration":"2030-01-01T00:00:00Z"}]"#, "entry 1 has no SecurityToken"),
        (#"[{"AccessKeyId":"a","AccessKeySecret":"s","SecurityToken":"t","Expiration":"tomorrow"}]"#, "Expiration tomorrow"),
    ])
    func refuses(text: String, message: String) {
        let error = #expect(throws: OSSTemporaryCredentialsError.self) { try OSSTemporaryCredentials.list(json: Data(text.utf8)) }
        #expect(error?.description.contains(message) == true, "\(String(describing: error))")
    }
}
