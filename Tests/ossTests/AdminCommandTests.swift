import Foundation
import Testing

/// `oss admin`: users, keys and temporary credentials, beside a running server (in effect at
/// once) or on a stopped server's data folder (in effect when it starts).
@Suite(.serialized) struct AdminCommandTests {
    static func json(_ result: CLIRunner.Result) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8))
    }

    @Test func changesBesideARunningServerTakeEffectAtOnce() throws {
        let server = try ServerProcess()
        defer { server.stop() }
        let data = server.dataDirectory
        let admin = { (arguments: [String]) in try CLIRunner.run(["admin"] + arguments + ["--data", data.path]) }

        let added = try admin(["user", "add", "alice", "--json"])
        #expect(added.status == 0, "\(added.standardError)")
        let user = try #require(try Self.json(added) as? [String: Any])
        let key = try #require(user["AccessKey"] as? [String: Any])
        let keyID = try #require(key["AccessKeyId"] as? String)
        let secret = try #require(key["AccessKeySecret"] as? String)
        #expect(user["Name"] as? String == "alice" && (user["Id"] as? String)?.count == 16)

        // Listings never show a secret again.
        let users = try admin(["user", "list"])
        #expect(users.status == 0 && users.standardOutput.contains("alice") && users.standardOutput.contains("(owner)"))
        let keys = try admin(["key", "list", "alice"])
        #expect(keys.standardOutput.contains(keyID) && keys.standardOutput.contains("active"))
        for output in [users.standardOutput, keys.standardOutput] { #expect(!output.contains(secret)) }

        // The running server knows alice at once; she sees only her own buckets.
        let alice = ["OSS_ACCESS_KEY_ID": keyID, "OSS_ACCESS_KEY_SECRET": secret]
        #expect(try server.run(["mb", "oss://alice-bkt"], extraEnvironment: alice).status == 0)
        let aliceBuckets = try server.run(["ls"], extraEnvironment: alice)
        #expect(aliceBuckets.standardOutput.contains("oss://alice-bkt/") && !aliceBuckets.standardOutput.contains("oss://cli/"))
        let ownerBuckets = try server.run(["ls"])
        #expect(ownerBuckets.standardOutput.contains("oss://cli/") && !ownerBuckets.standardOutput.contains("alice-bkt"))

        // A disabled key is refused from the next request on; enabled, it works again.
        #expect(try admin(["key", "disable", keyID]).status == 0)
        let disabled = try server.run(["ls"], extraEnvironment: alice)
        #expect(disabled.status != 0 && disabled.standardError.contains("InvalidAccessKeyId"))
        #expect(try admin(["key", "enable", keyID]).status == 0)
        #expect(try server.run(["ls"], extraEnvironment: alice).status == 0)

        // A rotated key stops working; its replacement works.
        let rotated = try admin(["key", "rotate", keyID, "--json"])
        #expect(rotated.status == 0, "\(rotated.standardError)")
        let fresh = try #require(try Self.json(rotated) as? [String: Any])
        let freshID = try #require(fresh["AccessKeyId"] as? String)
        let freshSecret = try #require(fresh["AccessKeySecret"] as? String)
        #expect(freshID != keyID)
        #expect(try server.run(["ls"], extraEnvironment: alice).standardError.contains("InvalidAccessKeyId"))
        let renewed = ["OSS_ACCESS_KEY_ID": freshID, "OSS_ACCESS_KEY_SECRET": freshSecret]
        #expect(try server.run(["ls"], extraEnvironment: renewed).standardOutput.contains("oss://alice-bkt/"))
        #expect(try admin(["user", "delete", "alice"]).standardError.contains("still owns 1 bucket"))

        // Temporary credentials: STS JSON, limited by their session policy, until revoked.
        let work = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: work) }
        let policy = work.appendingPathComponent("session.json")
        try Data(#"{"Version":"1","Statement":[{"Effect":"Allow","Action":["oss:ListObjects"],"Resource":["acs:oss:*:*:alice-bkt"]}]}"#.utf8).write(to: policy)
        let issued = try admin(["sts", "issue", "--user", "alice", "--policy", policy.path, "--duration", "15m"])
        #expect(issued.status == 0, "\(issued.standardError)")
        let sts = try #require(try Self.json(issued) as? [String: String])
        let stsEnvironment = try [
            "OSS_ACCESS_KEY_ID": #require(sts["AccessKeyId"]), "OSS_ACCESS_KEY_SECRET": #require(sts["AccessKeySecret"]),
            "OSS_SESSION_TOKEN": #require(sts["SecurityToken"]),
        ]
        #expect(sts["Expiration"]?.hasSuffix("Z") == true)
        #expect(try server.run(["ls", "oss://alice-bkt/"], extraEnvironment: stsEnvironment).status == 0)
        let outside = try server.run(["ls"], extraEnvironment: stsEnvironment)
        #expect(outside.status != 0 && outside.standardError.contains("AccessDenied"), "ListBuckets is not in the session policy")
        let listed = try admin(["sts", "list"])
        #expect(listed.standardOutput.contains(sts["AccessKeyId"] ?? "-") && !listed.standardOutput.contains(sts["AccessKeySecret"] ?? "-"))
        #expect(try admin(["sts", "revoke", "--user", "alice"]).standardOutput.contains("1 temporary credential(s) of alice revoked"))
        let revoked = try server.run(["ls", "oss://alice-bkt/"], extraEnvironment: stsEnvironment)
        #expect(revoked.status != 0 && revoked.standardError.contains("InvalidSecurityToken"))
    }

    @Test func changesToAStoppedServerTakeEffectWhenItStarts() throws {
        let first = try ServerProcess()
        let data = first.dataDirectory
        first.stop(keepingData: true)
        defer { try? FileManager.default.removeItem(at: data) }
        let added = try CLIRunner.run(["admin", "user", "add", "bob", "--json", "--data", data.path])
        #expect(added.status == 0, "\(added.standardError)")
        let key = try #require((try Self.json(added) as? [String: Any])?["AccessKey"] as? [String: Any])
        let bob = try ["OSS_ACCESS_KEY_ID": #require(key["AccessKeyId"] as? String), "OSS_ACCESS_KEY_SECRET": #require(key["AccessKeySecret"] as? String)]

        let second = try ServerProcess(dataDirectory: data)
        defer { second.stop(keepingData: true) }
        #expect(try second.run(["mb", "oss://bob-bkt"], extraEnvironment: bob).status == 0)
        #expect(!(try second.run(["ls"], extraEnvironment: bob).standardOutput.contains("oss://cli/")))
    }

    @Test func mistakesAreOneLineMessages() throws {
        let server = try ServerProcess()
        let data = server.dataDirectory
        server.stop(keepingData: true)
        defer { try? FileManager.default.removeItem(at: data) }
        let admin = { (arguments: [String]) in try CLIRunner.run(["admin"] + arguments + ["--data", data.path]) }
        for (arguments, message) in [
            (["user", "add", "two words"], "is not a valid user name"),
            (["user", "disable", "nobody"], "there is no user 'nobody'"),
            (["key", "disable", "LTAInothing"], "there is no access key 'LTAInothing'"),
            (["user", "delete", "owner"], "cannot be deleted"),
        ] {
            let result = try admin(arguments)
            #expect(result.status != 0, "\(arguments)")
            #expect(result.standardError.contains(message), "\(arguments): \(result.standardError)")
            #expect(result.standardError.split(separator: "\n").count == 1, "\(arguments): \(result.standardError)")
        }
        let missing = try CLIRunner.run(["admin", "user", "list", "--data", data.path + "-typo"])
        #expect(missing.standardError.contains("there is no data folder at"))
        #expect(!FileManager.default.fileExists(atPath: data.path + "-typo"), "a mistyped folder is not created")
    }
}
