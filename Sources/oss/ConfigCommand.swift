import ArgumentParser
import Foundation

/// `oss config`: what the client commands would use, and where each setting comes from.
struct ConfigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Show the endpoint, region and credentials the client commands use.",
        discussion: """
            Settings come from, in order: the command line, the environment (OSS_ENDPOINT, \
            OSS_REGION, OSS_ACCESS_KEY_ID, OSS_ACCESS_KEY_SECRET, OSS_SESSION_TOKEN, OSS_PROFILE), \
            the profile in $XDG_CONFIG_HOME/oss/config (~/.config/oss/config) or, without it, \
            ossutil's ~/.ossutilconfig (read, never written), and last a local 'oss serve': \
            http://127.0.0.1:9000 with the dev credentials of its data folder (--data, ./oss-data).
            """,
        subcommands: [ConfigShowCommand.self],
        defaultSubcommand: ConfigShowCommand.self
    )
}

/// `oss config show`: every setting with its source, secrets masked.
struct ConfigShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Print the settings in effect and their sources (secrets masked).")

    @OptionGroup var connection: ConnectionOptions

    @Option(help: "text, or json.")
    var output: OutputFormat = .text

    func run() async throws {
        let resolved = try connection.resolve()
        let credentials = resolved.credentials
        let rows: [(String, String, String)] = [
            ("endpoint", resolved.endpoint.value, resolved.endpoint.source),
            ("region", resolved.region.value, resolved.region.source),
            ("access key id", Self.mask(credentials.accessKeyID, keeping: 4), resolved.credentialSource),
            ("access key secret", Self.mask(credentials.secret, keeping: 0), resolved.credentialSource),
            ("security token", credentials.securityToken.map { Self.mask($0, keeping: 0) } ?? "none", resolved.credentialSource),
        ]
        switch output {
        case .json:
            try printJSON(Dictionary(uniqueKeysWithValues: rows.map { ($0.0, ["value": $0.1, "source": $0.2]) }))
        case .text:
            let width = rows.map(\.1.count).max() ?? 0
            for (name, value, source) in rows {
                print("\((name + ":").padding(toLength: 19, withPad: " ", startingAt: 0))\(value.padding(toLength: width, withPad: " ", startingAt: 0))  (\(source))")
            }
        }
    }

    /// `value` with all but its last `keeping` characters replaced by `*` (at most 4 kept, and
    /// never more than a quarter of it), so that two keys can be told apart but not used.
    static func mask(_ value: String, keeping: Int) -> String {
        let kept = min(keeping, value.count / 4)
        return String(repeating: "*", count: max(value.count - kept, 8)) + value.suffix(kept)
    }
}
