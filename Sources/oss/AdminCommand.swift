import ArgumentParser
import Foundation
import OSSServer

/// `oss admin`: users, access keys and temporary credentials of a server's data folder, beside
/// the running server or with it stopped.
struct AdminCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "admin",
        abstract: "Manage the users, access keys and temporary credentials of a server's data folder.",
        discussion: """
            Beside a running server, a change takes effect before the command returns (the server \
            is told with SIGHUP and acknowledges); with the server stopped, when it starts.
            """,
        subcommands: [AdminUserCommand.self, AdminKeyCommand.self, AdminSTSCommand.self]
    )
}

/// Options every admin command takes.
struct AdminOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The server's data folder.", valueName: "DIR"))
    var data = "oss-data"

    @Flag(help: "Print JSON instead of text, for scripts.")
    var json = false

    func open() async throws -> OSSUserAdministration {
        do {
            return try await OSSUserAdministration.open(dataDirectory: URL(fileURLWithPath: data, isDirectory: true))
        } catch let failure as OSSUserAdministration.Failure {
            throw CommandFailure(failure.description)
        }
    }

    /// Runs an admin call, turning its failure into a one-line message.
    func run<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let failure as OSSUserAdministration.Failure {
            throw CommandFailure(failure.description)
        }
    }

    func print(_ object: Any, text: String) throws {
        if json {
            let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
            Swift.print(String(decoding: data, as: UTF8.self))
        } else {
            Swift.print(text)
        }
    }

    static func json(_ user: OSSUserAdministration.User) -> [String: Any] {
        [
            "Id": user.id, "Name": user.name, "Created": ISO8601DateFormatter().string(from: user.created),
            "Disabled": user.isDisabled, "Owner": user.isOwner,
        ]
    }

    static func json(_ key: OSSUserAdministration.AccessKey) -> [String: Any] {
        var object: [String: Any] = [
            "AccessKeyId": key.id, "User": key.userName, "Created": ISO8601DateFormatter().string(from: key.created),
            "Active": key.isActive,
        ]
        if let secret = key.secret { object["AccessKeySecret"] = secret }
        return object
    }

    static func text(newKey key: OSSUserAdministration.AccessKey) -> String {
        """
        AccessKeyId:     \(key.id)
        AccessKeySecret: \(key.secret ?? "")
        (the secret is shown this once: store it now)
        """
    }
}

struct AdminUserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user", abstract: "Add, list, disable, enable or delete users.",
        subcommands: [Add.self, List.self, Disable.self, Enable.self, Delete.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a user and print its first access key.")
        @Argument(help: "User name: letters, digits, '.', '_', '-' or '@'.") var name: String
        @OptionGroup var options: AdminOptions

        func run() async throws {
            let admin = try await options.open()
            let (user, key) = try await options.run { try await admin.addUser(named: name) }
            var object = AdminOptions.json(user)
            object["AccessKey"] = AdminOptions.json(key)
            try options.print(object, text: "user \(user.name) (id \(user.id))\n" + AdminOptions.text(newKey: key))
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the users.")
        @OptionGroup var options: AdminOptions

        func run() async throws {
            let admin = try await options.open()
            let users = try await options.run { try await admin.users() }
            let lines = users.map { user in
                let state = [user.isOwner ? "owner" : nil, user.isDisabled ? "disabled" : nil].compactMap { $0 }
                return "\(user.id)  \(user.name)" + (state.isEmpty ? "" : "  (\(state.joined(separator: ", ")))")
            }
            try options.print(users.map(AdminOptions.json), text: lines.joined(separator: "\n"))
        }
    }

    struct Disable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Refuse every key of a user; its buckets stay.")
        @Argument var name: String
        @OptionGroup var options: AdminOptions

        func run() async throws {
            let admin = try await options.open()
            try await options.run { try await admin.setUserDisabled(named: name, true) }
            try options.print(["User": name, "Disabled": true], text: "user \(name) disabled")
        }
    }

    struct Enable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Accept a disabled user's keys again.")
        @Argument var name: String
        @OptionGroup var options: AdminOptions

        func run() async throws {
            let admin = try await options.open()
            try await options.run { try await admin.setUserDisabled(named: name, false) }
            try options.print(["User": name, "Disabled": false], text: "user \(name) enabled")
        }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete a user and its keys (it must own no bucket).")
        @Argument var name: String
        @OptionGroup var options: AdminOptions

        func run() async throws {
            let admin = try await options.open()
            try await options.run { try await admin.deleteUser(named: name) }
            try options.print(["User": name, "Deleted": true], text: "user \(name) deleted")
        }
    }
}

struct AdminKeyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "key", abstract: "Add, list, rotate, disable, enable or delete access keys.",
        subcommands: [Add.self, List.self, Rotate.self, Disable.self, Enable.self, Delete.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add an access key to a user and print it.")
        @Argument(help: "User name.") var user: String
        @OptionGroup var options: AdminOptions

        func run() async throws {
            let admin = try await options.open()
            let key = try await options.run { try await admin.addKey(user: user) }
            try options.print(AdminOptions.json(key), text: AdminOptions.text(newKey: key))
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List a user's access keys (never their secrets).")
        @Argument(help: "User name.") var user: String
        @OptionGroup var options: AdminOptions

        func run() async throws {
            let admin = try await options.open()
            let keys = try await options.run { try await admin.keys(of: user) }
            let lines = keys.map { "\($0.id)  \($0.isActive ? "active" : "disabled")" }
            try options.print(keys.map(AdminOptions.json), text: lines.joined(separator: "\n"))
        }
    }

    struct Rotate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Replace an access key by a new one of the same user; the old one stops working.")
        @Argument(help: "AccessKeyId.") var id: String
        @OptionGroup var options: AdminOptions

        func run() async throws {
            let admin = try await options.open()
            let key = try await options.run { try await admin.rotateKey(id: id) }
            try options.print(AdminOptions.json(key), text: AdminOptions.text(newKey: key))
        }
    }

    struct Disable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Refuse an access key until it is enabled again.")
        @Argument(help: "AccessKeyId.") var id: String
        @OptionGroup var options: AdminOptions

        func run() async throws {
            let admin = try await options.open()
            try await options.run { try await admin.setKeyActive(id: id, false) }
            try options.print(["AccessKeyId": id, "Active": false], text: "key \(id) disabled")
        }
    }

    struct Enable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Accept a disabled access key again.")
        @Argument(help: "AccessKeyId.") var id: String
        @OptionGroup var options: AdminOptions

        func run() async throws {
            let admin = try await options.open()
            try await options.run { try await admin.setKeyActive(id: id, true) }
            try options.print(["AccessKeyId": id, "Active": true], text: "key \(id) enabled")
        }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete an access key.")
        @Argument(help: "AccessKeyId.") var id: String
        @OptionGroup var options: AdminOptions

        func run() async throws {
            let admin = try await options.open()
            try await options.run { try await admin.deleteKey(id: id) }
            try options.print(["AccessKeyId": id, "Deleted": true], text: "key \(id) deleted")
        }
    }
}

struct AdminSTSCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sts", abstract: "Issue, list or revoke temporary credentials.",
        subcommands: [Issue.self, List.self, Revoke.self])

    struct Issue: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Issue temporary credentials to a user and print them as STS Credentials JSON.",
            discussion: """
                The credentials sign for the user, with its rights, narrowed by --policy when given: \
                a RAM-style policy without Principal, e.g. {"Version":"1","Statement":[{"Effect":"Allow",\
                "Action":["oss:GetObject"],"Resource":["acs:oss:*:*:bucket/logs/*"]}]}.
                """)
        @Option(help: "User name.") var user: String
        @Option(help: ArgumentHelp("A session policy (JSON file) the credentials are limited to.", valueName: "FILE"))
        var policy: String?
        @Option(help: ArgumentHelp("How long they work: seconds, or with s, m or h (at most 12h).", valueName: "DURATION"))
        var duration = "1h"
        @OptionGroup var options: AdminOptions

        func validate() throws {
            guard AdminSTSCommand.seconds(duration) != nil else {
                throw ValidationError("--duration must be a number of seconds, or end in s, m or h, like 900, 15m or 1h")
            }
        }

        func run() async throws {
            var policyText: String?
            if let policy {
                do {
                    policyText = try String(contentsOfFile: policy, encoding: .utf8)
                } catch {
                    throw CommandFailure("cannot read the policy file \(policy): \(error.localizedDescription)")
                }
            }
            let admin = try await options.open()
            let credentials = try await options.run {
                try await admin.issueTemporaryCredentials(
                    user: user, policy: policyText, duration: AdminSTSCommand.seconds(duration) ?? 3600)
            }
            let object: [String: Any] = [
                "AccessKeyId": credentials.accessKeyID, "AccessKeySecret": credentials.secret ?? "",
                "SecurityToken": credentials.securityToken ?? "",
                "Expiration": ISO8601DateFormatter().string(from: credentials.expiration),
            ]
            let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List temporary credentials (never their secrets).")
        @OptionGroup var options: AdminOptions

        func run() async throws {
            let admin = try await options.open()
            let all = try await options.run { try await admin.temporaryCredentials() }
            let now = Date()
            let objects: [[String: Any]] = all.map {
                [
                    "AccessKeyId": $0.accessKeyID, "User": $0.userName,
                    "Expiration": ISO8601DateFormatter().string(from: $0.expiration), "Revoked": $0.isRevoked,
                    "SessionPolicy": $0.hasPolicy,
                ]
            }
            let lines = all.map { credential in
                let state = credential.isRevoked ? "revoked" : credential.expiration <= now ? "expired" : "active"
                return "\(credential.accessKeyID)  \(credential.userName)  until \(ISO8601DateFormatter().string(from: credential.expiration))  \(state)"
                    + (credential.hasPolicy ? "  (session policy)" : "")
            }
            try options.print(objects, text: lines.joined(separator: "\n"))
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke temporary credentials by AccessKeyId, or all of a user's.")
        @Argument(help: "AccessKeyId of the credentials.") var id: String?
        @Option(help: "Revoke every temporary credential of this user.") var user: String?
        @OptionGroup var options: AdminOptions

        func validate() throws {
            guard (id == nil) != (user == nil) else { throw ValidationError("name an AccessKeyId or --user USER, not both") }
        }

        func run() async throws {
            let admin = try await options.open()
            if let id {
                try await options.run { try await admin.revokeTemporaryCredential(id: id) }
                try options.print(["AccessKeyId": id, "Revoked": true], text: "credentials \(id) revoked")
            } else if let user {
                let count = try await options.run { try await admin.revokeTemporaryCredentials(user: user) }
                try options.print(["User": user, "Revoked": count], text: "\(count) temporary credential(s) of \(user) revoked")
            }
        }
    }

    /// `900`, `90s`, `15m`, `1h` in seconds.
    static func seconds(_ text: String) -> TimeInterval? {
        let units: [Character: Double] = ["s": 1, "m": 60, "h": 3600]
        if let unit = text.last.flatMap({ units[$0] }) {
            return Double(text.dropLast()).map { $0 * unit }
        }
        return Double(text)
    }
}
