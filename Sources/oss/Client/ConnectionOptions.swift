import ArgumentParser
import Foundation
import OSSClient
import OSSProtocol
import OSSServer

/// Where the service is and who signs: shared by every command that talks to a server.
struct ConnectionOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The OSS endpoint.", valueName: "URL"))
    var endpoint = "http://127.0.0.1:\(9000)"

    @Option(help: "The region of V4 signature scopes.")
    var region = "cn-hangzhou"

    @Flag(help: "Sign with V1 (HMAC-SHA1) instead of V4.")
    var v1 = false

    @Option(help: ArgumentHelp(
        "A data folder of 'oss serve' whose dev credentials to use when OSS_ACCESS_KEY_ID/OSS_ACCESS_KEY_SECRET are not set.",
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

    /// Credentials from the environment (as the SDKs read them, `OSS_SESSION_TOKEN` included for
    /// STS credentials), else a local server's dev pair.
    func credentials() throws -> OSSCredentials {
        let environment = ProcessInfo.processInfo.environment
        if let credentials = try? OSSCredentials.fromEnvironment(environment) {
            return credentials
        }
        // One of the pair alone is most likely a typo or a half-done export: say which, rather
        // than silently signing with other keys.
        let (id, secret) = ("OSS_ACCESS_KEY_ID", "OSS_ACCESS_KEY_SECRET")
        let set = [id, secret].filter { environment[$0]?.isEmpty == false }
        if set.count == 1 {
            let missing = set[0] == id ? secret : id
            FileHandle.standardError.write(Data(
                "warning: \(set[0]) is set but \(missing) is not; using the dev credentials of the data folder \(data) instead\n".utf8))
        }
        guard let stored = try DevCredentials.load(from: URL(fileURLWithPath: data)) else {
            throw ValidationError(
                "no credentials: set OSS_ACCESS_KEY_ID and OSS_ACCESS_KEY_SECRET, or run where 'oss serve' keeps its data folder (--data)")
        }
        return stored
    }

    func makeClient() throws -> OSSClient {
        let credentials = try credentials()
        var configuration: OSSClientConfiguration
        do {
            configuration = try OSSClientConfiguration(
                endpoint: endpoint, region: region,
                credentials: OSSStaticCredentialsProvider(credentials),
                signatureVersion: v1 ? .v1 : .v4)
        } catch {
            throw ValidationError("--endpoint \(endpoint): \(error)")
        }
        configuration.verifiesCRC64 = !noCRC
        if let caBundle {
            do {
                configuration.trustedRoots = try .pemFile(caBundle)
            } catch {
                throw ValidationError("--ca-bundle \(caBundle): no PEM certificate can be read from it; give the CA's certificate in PEM")
            }
        }
        return OSSClient(configuration: configuration)
    }
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
