import Foundation
import Testing

/// `oss admin`: users and keys of a stopped server's data folder, taking effect at its next start.
@Suite(.serialized) struct AdminCommandTests {
    static func json(_ result: CLIRunner.Result) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8))
    }

    @Test func usersAndKeysTakeEffectAtTheNextStart() throws {
        let first = try ServerProcess()
        let data = first.dataDirectory
        defer { try? FileManager.default.removeItem(at: data) }
        let admin = { (arguments: [String]) in try CLIRunner.run(["admin"] + arguments + ["--data", data.path]) }

        // A running server keeps its folder to itself, and the message says what to do.
        let refused = try admin(["user", "add", "alice"])
        #expect(refused.status != 0)
        #expect(refused.standardError.contains("in use by a running server: stop it"))
        first.stop(keepingData: true)

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

        // Started again, the server knows alice, who sees only her own buckets.
        let second = try ServerProcess(dataDirectory: data)
        let alice = ["OSS_ACCESS_KEY_ID": keyID, "OSS_ACCESS_KEY_SECRET": secret]
        #expect(try second.run(["mb", "oss://alice-bkt"], extraEnvironment: alice).status == 0)
        let aliceBuckets = try second.run(["ls"], extraEnvironment: alice)
        #expect(aliceBuckets.standardOutput.contains("oss://alice-bkt/") && !aliceBuckets.standardOutput.contains("oss://cli/"))
        let ownerBuckets = try second.run(["ls"])
        #expect(ownerBuckets.standardOutput.contains("oss://cli/") && !ownerBuckets.standardOutput.contains("alice-bkt"))
        second.stop(keepingData: true)

        // A rotated key stops working; its replacement works.
        let rotated = try admin(["key", "rotate", keyID, "--json"])
        #expect(rotated.status == 0, "\(rotated.standardError)")
        let fresh = try #require(try Self.json(rotated) as? [String: Any])
        let freshID = try #require(fresh["AccessKeyId"] as? String)
        let freshSecret = try #require(fresh["AccessKeySecret"] as? String)
        #expect(freshID != keyID)
        #expect(try admin(["user", "delete", "alice"]).standardError.contains("still owns 1 bucket"))

        let third = try ServerProcess(dataDirectory: data)
        defer { third.stop(keepingData: true) }
        let old = try third.run(["ls"], extraEnvironment: alice)
        #expect(old.status != 0 && old.standardError.contains("InvalidAccessKeyId"))
        let renewed = try third.run(["ls"], extraEnvironment: ["OSS_ACCESS_KEY_ID": freshID, "OSS_ACCESS_KEY_SECRET": freshSecret])
        #expect(renewed.status == 0 && renewed.standardOutput.contains("oss://alice-bkt/"))
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
