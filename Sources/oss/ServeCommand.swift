import ArgumentParser
import Foundation
import Logging
import OSSProtocol
import OSSServer

/// `oss serve`: a local OSS-compatible server with CRC-64 on every operation.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run an OSS-compatible object server (SQLite metadata, blob files, CRC-64 everywhere).",
        discussion: """
            Credentials: OSS_ACCESS_KEY_ID and OSS_ACCESS_KEY_SECRET when both are set (the variables \
            the SDKs read); otherwise a random pair created on first start and stored with mode 0600 \
            in the data folder. SIGINT or SIGTERM stops the server after in-flight requests; SIGHUP reads \
            the TLS certificate and key again (connections already open keep theirs).
            """
    )

    @Option(help: ArgumentHelp("Where to listen; port 0 picks a free port.", valueName: "HOST:PORT"))
    var address = "127.0.0.1:\(OSSServerConfiguration.defaultPort)"

    @Option(help: ArgumentHelp("Data folder (created if missing).", valueName: "DIR"))
    var data = "oss-data"

    @Option(name: .customLong("bucket"), help: ArgumentHelp("Create this bucket at start if missing (repeatable).", valueName: "NAME"))
    var buckets: [String] = []

    @Option(
        name: .customLong("cname"),
        help: ArgumentHelp(
            "Bind a custom domain to a bucket, as OSS CNAME does: requests with this Host address "
                + "the bucket and carry only the key in their path (repeatable).",
            valueName: "HOST=BUCKET"))
    var cnames: [String] = []

    @Option(
        name: .customLong("sts-credentials"),
        help: ArgumentHelp(
            "Also accept the temporary credentials in this JSON file: STS Credentials objects "
                + "(AccessKeyId, AccessKeySecret, SecurityToken, Expiration), each only with its token.",
            valueName: "FILE"))
    var stsCredentials: String?

    @Option(
        help: ArgumentHelp(
            "Serve at most this many connections at once; more wait to be accepted (default: from the "
                + "open-file limit, which is raised to its maximum at start, at most 4096).",
            valueName: "N"))
    var maxConnections: Int?

    @Option(
        help: ArgumentHelp(
            "Close a connection whose request (headers or body) makes no progress, or that stays idle, "
                + "for this many seconds.",
            valueName: "SECONDS"))
    var idleTimeout: Int = 300

    @Option(
        help: ArgumentHelp(
            "The region: bucket locations are oss-REGION, and V4 signatures must be scoped to it.", valueName: "REGION"))
    var region = "cn-hangzhou"

    @Option(help: ArgumentHelp("Seconds RestoreObject takes before an archived object is readable.", valueName: "SECONDS"))
    var restoreDelay: Double = 5

    @Option(help: ArgumentHelp("Seconds between two passes of the buckets' lifecycle rules.", valueName: "SECONDS"))
    var lifecycleInterval: Double = 3600

    @Option(
        help: ArgumentHelp(
            "Seconds in a lifecycle day (rules count in days); shorten it only to try rules out.", valueName: "SECONDS"))
    var lifecycleDay: Double = 86_400

    @Option(
        help: ArgumentHelp(
            "Seconds between two writes of buckets' access logs (PutBucketLogging) into their target buckets.",
            valueName: "SECONDS"))
    var accessLogInterval: Double = 300

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: String = "info"

    @Option(
        help: ArgumentHelp(
            "Seconds from the end of one scrub pass (every stored blob re-read and checked against its CRC-64) to the next; 0 for only on request (POST /scrub on the admin listener).",
            valueName: "SECONDS"))
    var scrubInterval: Double = 604_800

    @Option(help: ArgumentHelp("The most megabytes (10^6 bytes) per second the scrubber reads.", valueName: "MB/S"))
    var scrubRate: Double = 32

    @Option(
        help: ArgumentHelp(
            "Log lines as text, or as JSON objects one per line (fields a log collector can select on).",
            valueName: "text|json"))
    var logFormat: LogFormat = .text

    /// How log lines are written.
    enum LogFormat: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    @Option(
        help: ArgumentHelp(
            "Keep blobs in this bucket of an S3-compatible store instead of the data folder (metadata stays there); "
                + "credentials from OSS_BLOBS_ACCESS_KEY_ID and OSS_BLOBS_SECRET_ACCESS_KEY (or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY).",
            valueName: "s3://BUCKET"))
    var blobs: String?

    @Option(help: ArgumentHelp("The S3-compatible store of --blobs.", valueName: "http(s)://HOST:PORT"))
    var blobsEndpoint: String?

    @Option(help: ArgumentHelp("The signing region of --blobs.", valueName: "REGION"))
    var blobsRegion = "us-east-1"

    @Option(
        help: ArgumentHelp(
            "Where metadata lives: sqlite (in the data folder, the default) or a PostgreSQL database that several "
                + "servers share, postgres://USER@HOST[:PORT][,HOST[:PORT]…]/DATABASE[?schema=NAME&sslmode=disable|prefer|require] "
                + "(several hosts: a primary and its standbys); the password may come from OSS_METADATA_PASSWORD or PGPASSWORD.",
            valueName: "sqlite|postgres://…"))
    var metadata = "sqlite"

    @Option(
        help: ArgumentHelp(
            "With --metadata postgres: seconds a blob no object needs stays in the blob store, so that reads other nodes started finish.",
            valueName: "SECONDS"))
    var deletionGrace: Double = 60

    @Option(
        help: ArgumentHelp(
            "With --metadata postgres: seconds a node may be silent before the blobs it was writing are taken for a crash's leftovers and collected.",
            valueName: "SECONDS"))
    var nodeLease: Double = 60

    @Option(
        help: ArgumentHelp(
            "Serve health checks (GET /health/live, /health/ready) and Prometheus metrics (GET /metrics) on this address of their own; off by default.",
            valueName: "HOST:PORT"))
    var adminAddress: String?

    @Option(
        help: ArgumentHelp(
            "With --admin-address: a file holding the token every admin request must carry as Authorization: Bearer TOKEN.",
            valueName: "FILE"))
    var adminTokenFile: String?

    @Option(
        help: ArgumentHelp(
            "Serve HTTPS with this PEM certificate (followed by its intermediates); read again, with --tls-key, on SIGHUP.",
            valueName: "FILE"))
    var tlsCertificate: String?

    @Option(help: ArgumentHelp("The unencrypted PEM private key of --tls-certificate.", valueName: "FILE"))
    var tlsKey: String?

    /// The TLS files of `--tls-certificate` and `--tls-key`, `nil` without them.
    func tlsFiles() throws -> OSSTLSFiles? {
        switch (tlsCertificate, tlsKey) {
        case (nil, nil): return nil
        case (let certificate?, let key?): return OSSTLSFiles(certificate: certificate, key: key)
        case (nil, _): throw ValidationError("--tls-key needs --tls-certificate FILE (the certificate the key belongs to)")
        case (_, nil): throw ValidationError("--tls-certificate needs --tls-key FILE (the certificate's private key)")
        }
    }

    /// The admin listener `--admin-address` and `--admin-token-file` describe, `nil` without them.
    func adminListener() throws -> OSSAdminListener? {
        guard let adminAddress else {
            if adminTokenFile != nil { throw ValidationError("--admin-token-file needs --admin-address HOST:PORT") }
            return nil
        }
        guard let (host, port) = Self.hostAndPort(adminAddress) else {
            throw ValidationError("--admin-address must be HOST:PORT with a port from 0 to 65535, e.g. 127.0.0.1:9100")
        }
        var token: String?
        if let adminTokenFile {
            guard let text = try? String(contentsOfFile: adminTokenFile, encoding: .utf8) else {
                throw ValidationError("--admin-token-file \(adminTokenFile): cannot read it; give a readable file holding the token")
            }
            token = text.trimmingCharacters(in: .whitespacesAndNewlines)
            guard token?.isEmpty == false, token!.utf8.allSatisfy({ (0x21...0x7E).contains($0) }) else {
                throw ValidationError("--admin-token-file \(adminTokenFile): the token must be one line of printable characters without spaces")
            }
        }
        return OSSAdminListener(host: host, port: port, token: token)
    }

    /// The metadata backend `--metadata` and the environment describe.
    func metadataBackend(environment: [String: String]) throws -> OSSMetadataBackend {
        do {
            return try OSSMetadataBackend(metadata, environment: environment)
        } catch {
            throw ValidationError(error.description)
        }
    }

    /// The blob backend the flags and the environment describe, `nil` without `--blobs`.
    func blobBackend(environment: [String: String]) throws -> OSSBlobBackend? {
        guard let blobs else {
            if blobsEndpoint != nil { throw ValidationError("--blobs-endpoint needs --blobs s3://BUCKET") }
            return nil
        }
        guard let blobsEndpoint else {
            throw ValidationError("--blobs needs --blobs-endpoint, e.g. --blobs-endpoint http://127.0.0.1:8333")
        }
        func variable(_ names: String...) -> String { names.lazy.compactMap { environment[$0] }.first { !$0.isEmpty } ?? "" }
        do {
            return try OSSBlobBackend(
                location: blobs, endpoint: blobsEndpoint, region: blobsRegion,
                accessKeyID: variable("OSS_BLOBS_ACCESS_KEY_ID", "AWS_ACCESS_KEY_ID"),
                secret: variable("OSS_BLOBS_SECRET_ACCESS_KEY", "AWS_SECRET_ACCESS_KEY"))
        } catch {
            throw ValidationError(error.description)
        }
    }

    func validate() throws {
        guard parsedAddress != nil else {
            throw ValidationError("--address must be HOST:PORT with a port from 0 to 65535, e.g. 127.0.0.1:9000")
        }
        for bucket in buckets {
            if let problem = OSSNames.problem(withBucketName: bucket) { throw ValidationError("--bucket \(bucket): \(problem)") }
        }
        for binding in cnames where parsedCNAME(binding) == nil {
            throw ValidationError("--cname \(binding): expected HOST=BUCKET, e.g. --cname files.example.com=my-bucket")
        }
        if let maxConnections, maxConnections < 1 {
            throw ValidationError("--max-connections must be at least 1, e.g. --max-connections 1000")
        }
        guard idleTimeout >= 1 else {
            throw ValidationError("--idle-timeout must be at least 1 second, e.g. --idle-timeout 60")
        }
        guard !region.isEmpty, region.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" }) else {
            throw ValidationError("--region must be letters, digits and '-', e.g. --region cn-hangzhou")
        }
        guard restoreDelay >= 0, restoreDelay <= 86_400 else {
            throw ValidationError("--restore-delay must be between 0 and 86400 seconds, e.g. --restore-delay 5")
        }
        guard lifecycleInterval >= 0.1, lifecycleInterval <= 86_400 else {
            throw ValidationError("--lifecycle-interval must be between 0.1 and 86400 seconds, e.g. --lifecycle-interval 3600")
        }
        guard lifecycleDay >= 0.1, lifecycleDay <= 86_400 else {
            throw ValidationError("--lifecycle-day must be between 0.1 and 86400 seconds, e.g. --lifecycle-day 86400")
        }
        guard accessLogInterval >= 0.1, accessLogInterval <= 86_400 else {
            throw ValidationError("--access-log-interval must be between 0.1 and 86400 seconds, e.g. --access-log-interval 300")
        }
        guard scrubInterval >= 0, scrubInterval <= 31_536_000 else {
            throw ValidationError("--scrub-interval must be between 0 (only on request) and 31536000 seconds, e.g. --scrub-interval 604800")
        }
        guard scrubRate > 0, scrubRate <= 100_000 else {
            throw ValidationError("--scrub-rate must be between 0 and 100000 MB/s, e.g. --scrub-rate 32")
        }
        guard Logger.Level(rawValue: logLevel) != nil else {
            throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error, critical")
        }
        _ = try blobBackend(environment: ProcessInfo.processInfo.environment)
        _ = try metadataBackend(environment: ProcessInfo.processInfo.environment)
        guard deletionGrace >= 0, deletionGrace <= 86_400 else {
            throw ValidationError("--deletion-grace must be between 0 and 86400 seconds, e.g. --deletion-grace 60")
        }
        guard nodeLease >= 1, nodeLease <= 86_400 else {
            throw ValidationError("--node-lease must be between 1 and 86400 seconds, e.g. --node-lease 60")
        }
        _ = try adminListener()
        _ = try tlsFiles()
    }

    func parsedCNAME(_ binding: String) -> (host: String, bucket: String)? {
        let parts = binding.split(separator: "=", maxSplits: 1).map(String.init)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty, !parts[0].contains(":") else { return nil }
        return (parts[0], parts[1])
    }

    var parsedAddress: (host: String, port: Int)? { Self.hostAndPort(address) }

    /// `HOST:PORT` (an IPv6 host in brackets), `nil` when malformed.
    static func hostAndPort(_ address: String) -> (host: String, port: Int)? {
        guard let colon = address.lastIndex(of: ":"), let port = Int(address[address.index(after: colon)...]),
            (0...65535).contains(port)
        else { return nil }
        var host = String(address[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        return host.isEmpty ? nil : (host, port)
    }

    func run() async throws {
        // Lines still queued when the server stops (its last ones, or why it could not start).
        defer { LogWriter.standardError.flush() }
        let (host, port) = parsedAddress!
        do {
            try tlsFiles()?.check()
            // Refused before the data folder is created: an address already taken leaves nothing behind.
            try await ListenAddressError.check(host: host, port: port)
        } catch let error as ServerCertificateError {
            throw CommandFailure(error.description)
        } catch let error as ListenAddressError {
            throw CommandFailure(error.description)
        }
        let directory = URL(fileURLWithPath: data, isDirectory: true).standardizedFileURL
        try Self.prepareDataFolder(directory)
        let (credentials, source) = try DevCredentials.resolve(
            dataDirectory: directory, environment: ProcessInfo.processInfo.environment)
        let temporary = try stsCredentials.map(Self.temporaryCredentials(from:)) ?? []
        var logger = switch logFormat {
        case .text: Logger(label: "oss.serve") { TextLogHandler(label: $0) }
        case .json: Logger(label: "oss.serve") { JSONLogHandler(label: $0) }
        }
        logger.logLevel = Logger.Level(rawValue: logLevel)!
        var settings = OSSServerConfiguration(
            host: host, port: port, dataDirectory: directory, buckets: buckets, credentials: credentials,
            temporaryCredentials: temporary, region: region,
            cnames: Dictionary(cnames.compactMap(parsedCNAME).map { ($0.host, $0.bucket) }) { _, last in last },
            idleTimeout: .seconds(idleTimeout), maxConnections: maxConnections,
            restoreDelay: .milliseconds(Int64(restoreDelay * 1000)),
            lifecycleInterval: .milliseconds(Int64(lifecycleInterval * 1000)), lifecycleDay: .milliseconds(Int64(lifecycleDay * 1000)),
            accessLogInterval: .milliseconds(Int64(accessLogInterval * 1000)),
            blobBackend: try blobBackend(environment: ProcessInfo.processInfo.environment),
            metadata: try metadataBackend(environment: ProcessInfo.processInfo.environment))
        settings.deletionGrace = .milliseconds(Int64(deletionGrace * 1000))
        settings.scrubInterval = scrubInterval == 0 ? nil : .milliseconds(Int64(scrubInterval * 1000))
        settings.scrubRate = Int(scrubRate * 1_000_000)
        settings.nodeLease = .milliseconds(Int64(nodeLease * 1000))
        settings.admin = try adminListener()
        settings.tls = try tlsFiles()
        let configuration = settings
        let firstBucket = buckets.first ?? "my-bucket"
        try await OSSServer(configuration: configuration, logger: logger).run { host, port in
            let endpoint = "\(configuration.tls == nil ? "http" : "https")://\(HostNotation.address(host, port: port))"
            var lines: [String] = [
                "swift-oss object server",
                "  data folder:     \(directory.path)",
            ]
            if let tls = configuration.tls {
                lines.append("  TLS certificate: \(tls.certificate) (read again on SIGHUP)")
            }
            if case .postgres(let database) = configuration.metadata {
                lines.append("  metadata:        \(database)")
            }
            if let backend = configuration.blobBackend {
                lines.append("  blobs:           s3://\(backend.bucket) at \(backend.scheme)://\(backend.host):\(backend.port)")
            }
            if let admin = configuration.admin {
                let host = HostNotation.bracketed(admin.host)
                lines.append("  health:          http://\(host):\(admin.port)/health/ready" + (admin.token == nil ? "" : " (bearer token)"))
                lines.append("  metrics:         http://\(host):\(admin.port)/metrics" + (admin.token == nil ? "" : " (bearer token)"))
            }
            lines += [
                "  AccessKeyId:     \(credentials.accessKeyID)",
                "  AccessKeySecret: \(credentials.secret)   (from the \(source))",
                "  region:          \(configuration.region)",
            ]
            if !temporary.isEmpty {
                lines.append("  temporary:       \(temporary.count) STS credential(s) from \(stsCredentials ?? "")")
            }
            lines += [
                "",
                "Python (oss2):",
                "  import oss2",
                "  auth = oss2.Auth('\(credentials.accessKeyID)', '\(credentials.secret)')",
                "  bucket = oss2.Bucket(auth, '\(endpoint)', '\(firstBucket)')",
            ]
            if buckets.isEmpty {
                // Re-runnable: creating a bucket that exists fails, so only when it does not.
                lines.append(
                    "  '\(firstBucket)' in [b.name for b in oss2.Service(auth, '\(endpoint)').list_buckets().buckets] or bucket.create_bucket()")
            }
            lines += [
                "  print(bucket.put_object('hello.txt', b'hello, oss').headers['x-oss-hash-crc64ecma'])",
                "",
                "listening on \(endpoint)",
                "",
            ]
            // Unbuffered: scripts wait for the "listening on" line through a pipe.
            FileHandle.standardOutput.write(Data(lines.joined(separator: "\n").utf8))
        }
        // Reached only by a graceful shutdown (SIGINT or SIGTERM): requests in flight finished.
        FileHandle.standardOutput.write(Data("stopped: requests in flight were finished\n".utf8))
    }

    /// The temporary credentials of `--sts-credentials`, or a one-line error naming the problem.
    static func temporaryCredentials(from path: String) throws -> [OSSTemporaryCredentials] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CommandFailure("--sts-credentials \(path): cannot read the file")
        }
        do {
            return try OSSTemporaryCredentials.list(json: data)
        } catch {
            throw CommandFailure("--sts-credentials \(path): \(error); expected [{\"AccessKeyId\": …, \"AccessKeySecret\": …, \"SecurityToken\": …, \"Expiration\": \"2030-01-01T00:00:00Z\"}]")
        }
    }
}
