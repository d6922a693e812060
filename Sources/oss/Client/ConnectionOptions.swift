import ArgumentParser
import Foundation
import OSSClient
import OSSProtocol
import OSSServer

/// Where the service is and who signs: shared by every command that talks to a server.
///
/// Each setting comes from the first of: the command line, the environment (`OSS_ENDPOINT`,
/// `OSS_REGION`, `OSS_ACCESS_KEY_ID`/`OSS_ACCESS_KEY_SECRET`/`OSS_SESSION_TOKEN`), the profile
/// (`--profile` or `OSS_PROFILE`, else `default`, from ``ProfileFile``), and last the
/// defaults: a local `oss serve` and its data folder's dev credentials. `oss config show`
/// prints what was chosen and where from.
struct ConnectionOptions: ParsableArguments {
    static let defaultEndpoint = "http://127.0.0.1:9000"
    static let defaultRegion = "cn-hangzhou"

    @Option(help: ArgumentHelp(
        "The OSS endpoint (default: OSS_ENDPOINT, the profile's, else \(defaultEndpoint)).", valueName: "URL"))
    var endpoint: String?

    @Option(help: ArgumentHelp(
        "The region of V4 signature scopes (default: OSS_REGION, the profile's, else \(defaultRegion)).", valueName: "REGION"))
    var region: String?

    @Option(help: ArgumentHelp(
        "The profile of ~/.config/oss/config (or ~/.ossutilconfig) to use (default: OSS_PROFILE, else default).",
        valueName: "NAME"))
    var profile: String?

    @Flag(help: "Sign with V1 (HMAC-SHA1) instead of V4.")
    var v1 = false

    @Option(help: ArgumentHelp(
        "A data folder of 'oss serve' whose dev credentials to use when neither the environment nor a profile has any.",
        valueName: "DIR"))
    var data = "oss-data"

    @Flag(name: .customLong("no-crc"), help: "Do not verify CRC-64 (results then say 'unverified').")
    var noCRC = false

    @Option(
        name: .customLong("ca-bundle"),
        help: ArgumentHelp(
            "Trust the CA certificates of this PEM file, instead of the system's, for an https endpoint (a private CA).",
            valueName: "FILE"))
    var caBundle: String?

    /// The settings in effect, each with where it came from.
    func resolve(
        environment: [String: String] = ProcessInfo.processInfo.environment, folders: UserFolders = UserFolders(),
        warn: (String) -> Void = { FileHandle.standardError.write(Data("warning: \($0)\n".utf8)) }
    ) throws -> ResolvedConnection {
        func variable(_ name: String) -> String? { environment[name].flatMap { $0.isEmpty ? nil : $0 } }
        let file = try ProfileFile.load(folders)
        let profileName = profile ?? variable("OSS_PROFILE")
        var chosen: ProfileFile.Profile?
        if let file {
            chosen = file.profile(profileName ?? "default")
            if chosen == nil, let profileName {
                let known = file.names.isEmpty ? "none" : file.names.joined(separator: ", ")
                throw CommandFailure("no profile '\(profileName)' in \(file.path) (profiles: \(known))")
            }
        } else if let profileName {
            throw CommandFailure(
                "no profile '\(profileName)': neither \(folders.configuration.path) nor \(folders.ossutilConfiguration.path) exists")
        }
        let profileSource = chosen.map { "profile \($0.name) in \(file!.path)" } ?? ""

        func setting(_ flag: String?, _ flagName: String, _ variableName: String, _ fromProfile: String?, _ fallback: String)
            -> ResolvedConnection.Setting
        {
            if let flag { return .init(value: flag, source: "--\(flagName)") }
            if let value = variable(variableName) { return .init(value: value, source: "environment \(variableName)") }
            if let fromProfile { return .init(value: fromProfile, source: profileSource) }
            return .init(value: fallback, source: "default")
        }
        var endpoint = setting(self.endpoint, "endpoint", "OSS_ENDPOINT", chosen?.endpoint, Self.defaultEndpoint)
        // ossutil's files name endpoints without a scheme (oss-cn-hangzhou.aliyuncs.com).
        if !endpoint.value.contains("://") { endpoint.value = "https://" + endpoint.value }
        let region = setting(self.region, "region", "OSS_REGION", chosen?.region, Self.defaultRegion)

        let (id, secret) = (OSSCredentials.accessKeyIDVariable, OSSCredentials.secretVariable)
        if let credentials = try? OSSCredentials.fromEnvironment(environment) {
            return ResolvedConnection(
                endpoint: endpoint, region: region, credentials: credentials, credentialSource: "environment \(id), \(secret)")
        }
        // One of the pair alone is most likely a typo or a half-done export: say which, rather
        // than silently signing with other keys.
        let set = [id, secret].filter { variable($0) != nil }
        if set.count == 1 {
            let missing = set[0] == id ? secret : id
            warn("\(set[0]) is set but \(missing) is not; using the \(chosen?.accessKeyID == nil ? "dev credentials of the data folder \(data)" : profileSource) instead")
        }
        if let chosen, let keyID = chosen.accessKeyID {
            guard let keySecret = chosen.secret else {
                throw CommandFailure("\(profileSource) has accessKeyID but no accessKeySecret; add it")
            }
            return ResolvedConnection(
                endpoint: endpoint, region: region,
                credentials: OSSCredentials(accessKeyID: keyID, secret: keySecret, securityToken: chosen.securityToken),
                credentialSource: profileSource)
        }
        guard let stored = try DevCredentials.load(from: URL(fileURLWithPath: data)) else {
            throw CommandFailure(
                "no credentials: set OSS_ACCESS_KEY_ID and OSS_ACCESS_KEY_SECRET, add them to a profile (~/.config/oss/config), or run where 'oss serve' keeps its data folder (--data)")
        }
        return ResolvedConnection(
            endpoint: endpoint, region: region, credentials: stored,
            credentialSource: "dev credentials of the data folder \(URL(fileURLWithPath: data).standardizedFileURL.path)")
    }

    func makeClient() throws -> OSSClient {
        let resolved = try resolve()
        let endpoint = resolved.endpoint.value
        var configuration: OSSClientConfiguration
        do {
            configuration = try OSSClientConfiguration(
                endpoint: endpoint, region: resolved.region.value,
                credentials: OSSStaticCredentialsProvider(resolved.credentials),
                signatureVersion: v1 ? .v1 : .v4)
        } catch {
            throw CommandFailure("endpoint \(endpoint) (from \(resolved.endpoint.source)): \(error)")
        }
        configuration.verifiesCRC64 = !noCRC
        if let caBundle {
            do {
                configuration.trustedRoots = try .pemFile(caBundle)
            } catch {
                throw CommandFailure("--ca-bundle \(caBundle): no PEM certificate can be read from it; give the CA's certificate in PEM")
            }
        }
        return OSSClient(configuration: configuration)
    }
}

/// What ``ConnectionOptions/resolve(environment:folders:warn:)`` chose.
struct ResolvedConnection: Sendable {
    struct Setting: Sendable, Equatable {
        var value: String
        /// `--endpoint`, `environment OSS_ENDPOINT`, `profile NAME in FILE` or `default`.
        var source: String
    }

    var endpoint: Setting
    var region: Setting
    var credentials: OSSCredentials
    var credentialSource: String
}

/// Runs `body` with a client and always shuts the client's connection pool down.
func withClient<T>(_ options: ConnectionOptions, _ body: (OSSClient) async throws -> T) async throws -> T {
    let client = try options.makeClient()
    do {
        let result = try await body(client)
        try? await client.shutdown()
        return result
    } catch {
        try? await client.shutdown()
        throw error
    }
}

/// `oss://bucket/key`, `oss://bucket/` or `oss://bucket/prefix`.
struct ObjectPath: Equatable, CustomStringConvertible {
    /// A path that must name an object, for `validate()`.
    /// - Throws: a `ValidationError` naming the text.
    static func object(_ text: String) throws -> ObjectPath {
        guard let path = ObjectPath(text), !path.key.isEmpty else {
            throw ValidationError("'\(text)' is not an oss://bucket/key path")
        }
        return path
    }

    init(bucket: String, key: String) {
        self.bucket = bucket
        self.key = key
    }

    /// A path that names a bucket and, optionally, a prefix (`oss://bucket`, `oss://bucket/photos/`).
    /// - Throws: a `ValidationError` naming the text.
    static func prefix(_ text: String) throws -> ObjectPath {
        guard let path = ObjectPath(text) else { throw ValidationError("'\(text)' is not an oss://bucket[/prefix] path") }
        return path
    }

    /// A path that must name a bucket and nothing more (`oss://bucket` or `oss://bucket/`).
    static func bucket(_ text: String) throws -> ObjectPath {
        guard let path = ObjectPath(text), path.key.isEmpty else {
            throw ValidationError("'\(text)' is not an oss://bucket path")
        }
        return path
    }

    var bucket: String
    var key: String

    init?(_ text: String) {
        guard text.hasPrefix("oss://") else { return nil }
        let rest = text.dropFirst("oss://".count)
        guard let bucketEnd = rest.firstIndex(of: "/") else {
            guard !rest.isEmpty else { return nil }
            bucket = String(rest)
            key = ""
            return
        }
        bucket = String(rest[..<bucketEnd])
        key = String(rest[rest.index(after: bucketEnd)...])
        guard !bucket.isEmpty else { return nil }
    }

    var description: String { "oss://\(bucket)/\(key)" }
}

/// A CLI failure printed as one line (`Error: …`) with exit status 1.
struct CommandFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

extension OSSCRCVerification {
    /// What the CLI prints about an integrity check.
    var summary: String {
        switch self {
        case .verified(let crc): "CRC-64 verified (\(crc))"
        case .unverified(let reason): "CRC-64 UNVERIFIED (\(reason))"
        }
    }
}
