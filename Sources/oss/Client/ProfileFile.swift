import Foundation

/// Named profiles of endpoint, region and credentials, in INI form:
///
/// ```ini
/// [default]
/// accessKeyID = LTAI…
/// accessKeySecret = …
/// endpoint = http://127.0.0.1:9000
/// region = cn-hangzhou
///
/// [profile backup]
/// endpoint = https://oss-cn-shanghai.aliyuncs.com
/// ```
///
/// The CLI's own file is `$XDG_CONFIG_HOME/oss/config` (`~/.config/oss/config`); without it,
/// ossutil's `~/.ossutilconfig` is read as it is (never written): ossutil 2.0's `[default]` and
/// `[profile NAME]` sections, and ossutil 1.0's `[Credentials]` section as the default profile.
/// Keys are case-insensitive; `stsToken` (or `securityToken`) adds a temporary credential's token.
struct ProfileFile: Sendable {
    /// One profile's settings; any may be missing.
    struct Profile: Sendable, Equatable {
        var name: String
        var accessKeyID: String?
        var secret: String?
        var securityToken: String?
        var endpoint: String?
        var region: String?
    }

    let path: String
    /// Section name → lower-cased key → value.
    let sections: [String: [String: String]]

    init(path: String, text: String) {
        self.path = path
        var sections: [String: [String: String]] = [:]
        var current: String?
        for raw in text.split(omittingEmptySubsequences: true, whereSeparator: \.isNewline) {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
            if line.hasPrefix("["), line.hasSuffix("]") {
                let name = line.dropFirst().dropLast().trimmingCharacters(in: .whitespaces)
                current = name
                sections[name, default: [:]] = sections[name] ?? [:]
                continue
            }
            guard let current, let equals = line.firstIndex(of: "=") else { continue }
            let key = line[..<equals].trimmingCharacters(in: .whitespaces).lowercased()
            let value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            sections[current]?[key] = value
        }
        self.sections = sections
    }

    /// The first file of the user's folders that exists: the CLI's own, else ossutil's.
    static func load(_ folders: UserFolders) throws -> ProfileFile? {
        for candidate in [folders.configuration, folders.ossutilConfiguration] {
            guard FileManager.default.fileExists(atPath: candidate.path) else { continue }
            guard let data = FileManager.default.contents(atPath: candidate.path) else {
                throw CommandFailure("cannot read the configuration file \(candidate.path); fix its permissions")
            }
            return ProfileFile(path: candidate.path, text: String(decoding: data, as: UTF8.self))
        }
        return nil
    }

    /// The profiles the file defines.
    var names: [String] {
        sections.keys.compactMap(Self.profileName).sorted()
    }

    /// The profile of a section's name: `default`, `profile NAME` or `NAME`, ossutil 1.0's
    /// `Credentials` as `default`; `nil` for ossutil's other sections (`buckets`, `Bucket-Endpoint`…).
    private static func profileName(_ section: String) -> String? {
        if section == "Credentials" { return "default" }
        if section.hasPrefix("profile ") { return section.dropFirst("profile ".count).trimmingCharacters(in: .whitespaces) }
        if ["buckets", "Bucket-Endpoint", "Bucket-Cname"].contains(section) { return nil }
        return section
    }

    /// The profile `name`, `nil` when the file has none by that name.
    func profile(_ name: String) -> Profile? {
        let matching = sections.filter { Self.profileName($0.key) == name }
        guard !matching.isEmpty else { return nil }
        // `[profile x]` over `[x]` over `[Credentials]` when a file has several.
        let ordered = matching.sorted { rank($0.key) < rank($1.key) }
        var values: [String: String] = [:]
        for (_, section) in ordered.reversed() { values.merge(section) { $1 } }
        func value(_ keys: String...) -> String? { keys.lazy.compactMap { values[$0] }.first { !$0.isEmpty } }
        return Profile(
            name: name, accessKeyID: value("accesskeyid", "access_key_id"),
            secret: value("accesskeysecret", "access_key_secret"),
            securityToken: value("ststoken", "securitytoken", "session_token"),
            endpoint: value("endpoint"), region: value("region"))
    }

    private func rank(_ section: String) -> Int {
        section.hasPrefix("profile ") ? 0 : section == "Credentials" ? 2 : 1
    }
}
