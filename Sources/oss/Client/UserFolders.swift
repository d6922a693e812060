import Foundation

/// The per-user folders of the CLI, after the XDG base-directory rules that Linux tools follow
/// (and that work as well on macOS): state that outlives a run (transfer checkpoints) and
/// configuration (profiles).
struct UserFolders {
    var environment: [String: String]

    init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.environment = environment
    }

    /// The user's home: `HOME`, else the account's.
    var home: URL {
        if let home = environment["HOME"], !home.isEmpty { return URL(fileURLWithPath: home, isDirectory: true) }
        return FileManager.default.homeDirectoryForCurrentUser
    }

    /// `$XDG_STATE_HOME/oss/checkpoints`, by default `~/.local/state/oss/checkpoints`: where
    /// transfers above the multipart threshold keep their checkpoints unless told otherwise.
    var checkpoints: URL {
        base("XDG_STATE_HOME", default: ".local/state").appendingPathComponent("oss/checkpoints", isDirectory: true)
    }

    /// `$XDG_CACHE_HOME/oss/sync`, by default `~/.cache/oss/sync`: the CRC-64s `oss sync`
    /// computed of local files, so that a re-run reads only the files that changed.
    var syncCache: URL {
        base("XDG_CACHE_HOME", default: ".cache").appendingPathComponent("oss/sync", isDirectory: true)
    }

    /// `$XDG_CONFIG_HOME/oss/config`, by default `~/.config/oss/config`.
    var configuration: URL {
        base("XDG_CONFIG_HOME", default: ".config").appendingPathComponent("oss/config")
    }

    /// ossutil's configuration file, read when the CLI's own does not exist.
    var ossutilConfiguration: URL { home.appendingPathComponent(".ossutilconfig") }

    /// An XDG variable's folder; relative values are ignored, as the specification says.
    private func base(_ variable: String, default relative: String) -> URL {
        if let value = environment[variable], value.hasPrefix("/") { return URL(fileURLWithPath: value, isDirectory: true) }
        return home.appendingPathComponent(relative, isDirectory: true)
    }
}
