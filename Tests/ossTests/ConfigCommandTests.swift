import Foundation
import Testing

/// Profiles and the precedence of settings: flags > environment > profile > data folder.
@Suite("oss config and profiles")
struct ConfigCommandTests {
    /// A home of the test's own with `files` (path relative to it → contents), and the
    /// environment that makes it the user's, credential variables unset.
    static func home(_ files: [String: String]) throws -> (URL, [String: String]) {
        let home = try CLIRunner.temporaryDirectory()
        for (path, text) in files {
            let url = home.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
        let environment = [
            "HOME": home.path, "XDG_CONFIG_HOME": home.appendingPathComponent(".config").path,
            "OSS_ACCESS_KEY_ID": "", "OSS_ACCESS_KEY_SECRET": "", "OSS_ENDPOINT": "", "OSS_REGION": "", "OSS_PROFILE": "",
        ]
        return (home, environment)
    }

    static func show(_ arguments: [String], _ environment: [String: String]) throws -> [String: [String: String]] {
        let result = try CLIRunner.run(["config", "show", "--output", "json", "--data", "/nonexistent"] + arguments, environment: environment)
        try #require(result.status == 0, "\(result.standardError)")
        let parsed = try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8))
        return try #require(parsed as? [String: [String: String]], "\(result.standardOutput)")
    }

    @Test("a profile's endpoint and keys are used when nothing else is given; named profiles with --profile")
    func profileIsUsed() throws {
        let server = try ServerProcess()
        defer { server.stop() }
        let (home, environment) = try Self.home([
            ".config/oss/config": """
                # the test server
                [default]
                endpoint = \(server.endpoint)
                accessKeyID = LTAIcli
                accessKeySecret = cli-secret

                [profile wrong]
                endpoint = \(server.endpoint)
                accessKeyID = LTAIcli
                accessKeySecret = not-the-secret
                """
        ])
        defer { try? FileManager.default.removeItem(at: home) }
        let listed = try CLIRunner.run(["ls", "oss://cli", "--data", "/nonexistent"], environment: environment)
        #expect(listed.status == 0, "\(listed.standardError)")
        let wrong = try CLIRunner.run(["ls", "oss://cli", "--profile", "wrong"], environment: environment)
        #expect(wrong.status != 0 && wrong.standardError.contains("SignatureDoesNotMatch"), "\(wrong.standardError)")
        let missing = try CLIRunner.run(["ls", "oss://cli", "--profile", "nope"], environment: environment)
        #expect(missing.standardError.contains("no profile 'nope' in \(home.path)/.config/oss/config (profiles: default, wrong)"),
            "\(missing.standardError)")
    }

    @Test("flags beat the environment, which beats the profile; config show names each source and masks secrets")
    func precedence() throws {
        let (home, base) = try Self.home([
            ".config/oss/config": """
                [default]
                endpoint = http://profile.example:9000
                region = cn-profile
                accessKeyID = LTAIprofilekey1234
                accessKeySecret = profile-secret-value
                """
        ])
        defer { try? FileManager.default.removeItem(at: home) }
        let file = "\(home.path)/.config/oss/config"
        let fromProfile = try Self.show([], base)
        #expect(fromProfile["endpoint"] == ["value": "http://profile.example:9000", "source": "profile default in \(file)"])
        #expect(fromProfile["region"]?["value"] == "cn-profile")
        #expect(fromProfile["access key id"] == ["value": "**************1234", "source": "profile default in \(file)"])
        let shown = try CLIRunner.run(["config", "show", "--data", "/nonexistent"], environment: base)
        #expect(!shown.standardOutput.contains("profile-secret-value") && !shown.standardOutput.contains("LTAIprofile"),
            "\(shown.standardOutput)")

        var environment = base
        environment["OSS_ENDPOINT"] = "http://env.example:9000"
        environment["OSS_ACCESS_KEY_ID"] = "LTAIenvironment"
        environment["OSS_ACCESS_KEY_SECRET"] = "environment-secret"
        let fromEnvironment = try Self.show([], environment)
        #expect(fromEnvironment["endpoint"] == ["value": "http://env.example:9000", "source": "environment OSS_ENDPOINT"])
        #expect(fromEnvironment["region"]?["source"] == "profile default in \(file)")
        #expect(fromEnvironment["access key id"]?["source"] == "environment OSS_ACCESS_KEY_ID, OSS_ACCESS_KEY_SECRET")
        let fromFlags = try Self.show(["--endpoint", "http://flag.example:1", "--region", "cn-flag"], environment)
        #expect(fromFlags["endpoint"] == ["value": "http://flag.example:1", "source": "--endpoint"])
        #expect(fromFlags["region"] == ["value": "cn-flag", "source": "--region"])

        // Half a pair in the environment: a warning, and the profile's pair.
        environment["OSS_ACCESS_KEY_SECRET"] = ""
        let half = try CLIRunner.run(["config", "show", "--data", "/nonexistent"], environment: environment)
        #expect(half.standardError.contains("warning: OSS_ACCESS_KEY_ID is set but OSS_ACCESS_KEY_SECRET is not; using the profile default in \(file) instead"),
            "\(half.standardError)")
    }

    @Test("ossutil's ~/.ossutilconfig is read when the CLI has no file of its own: 1.0's [Credentials], 2.0's profiles")
    func ossutilFile() throws {
        let (home, environment) = try Self.home([
            ".ossutilconfig": """
                [Credentials]
                language=EN
                endpoint=oss-cn-shanghai.aliyuncs.com
                accessKeyID=LTAIossutilone
                accessKeySecret=ossutil-one-secret
                stsToken=token-value

                [profile two]
                accessKeyID = LTAIossutiltwo
                accessKeySecret = ossutil-two-secret
                region = cn-beijing
                """
        ])
        defer { try? FileManager.default.removeItem(at: home) }
        let file = "\(home.path)/.ossutilconfig"
        let one = try Self.show([], environment)
        #expect(one["endpoint"] == ["value": "https://oss-cn-shanghai.aliyuncs.com", "source": "profile default in \(file)"])
        #expect(one["security token"]?["value"]?.hasPrefix("****") == true)
        let two = try Self.show(["--profile", "two"], environment)
        #expect(two["region"] == ["value": "cn-beijing", "source": "profile two in \(file)"])
        #expect(two["endpoint"]?["source"] == "default")
        #expect(two["access key id"]?["value"]?.hasSuffix("otwo") == false, "more than a quarter of a short key shown")
    }
}
