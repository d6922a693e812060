import Foundation
import OSSProtocol

/// Everything `oss serve` decides before the server starts.
public struct OSSServerConfiguration: Sendable {
    /// The default port, as documented in the README.
    public static let defaultPort = 9000

    /// The address to listen on; loopback by default so a dev server is never exposed by accident.
    public var host: String
    /// The port; 0 picks a free one (tests use that).
    public var port: Int
    /// Where metadata (SQLite) and object bodies (blob files) live.
    public var dataDirectory: URL
    /// Buckets created at start if missing.
    public var buckets: [String]
    /// The key pair requests must be signed with.
    public var credentials: OSSCredentials
    /// Temporary (STS-style) credentials accepted besides ``credentials``, each only with its
    /// security token and until its expiry.
    public var temporaryCredentials: [OSSTemporaryCredentials]
    /// The region reported in bucket locations (`oss-<region>`) and accepted in V4 scopes.
    public var region: String
    /// Host names (without port) under which `<bucket>.<host>` is virtual-hosted addressing.
    public var serviceHosts: [String]
    /// Custom domains bound to one bucket each (OSS CNAME), host name without port → bucket:
    /// requests with that `Host` address the bucket and carry only the key in their path.
    public var cnames: [String: String]
    /// A connection that moves no data for this long is closed, so stalled uploads cannot hold
    /// connections forever (what they sent is discarded, as for any unfinished write).
    public var idleTimeout: Duration
    /// The most connections served at once; more wait to be accepted. `nil` derives it from the
    /// open-file limit, which the server raises to its hard maximum at start.
    public var maxConnections: Int?
    /// How long RestoreObject takes before an archived object is readable (OSS: minutes to
    /// hours); a few seconds by default, so clients see the restore in progress, then done.
    public var restoreDelay: Duration
    /// How often lifecycle rules are applied (OSS: once a day); the first pass runs at start.
    public var lifecycleInterval: Duration
    /// The length of a lifecycle day: 24 hours, shortened only to try rules in minutes.
    public var lifecycleDay: Duration
    /// How often buckets' access logs are written into their target buckets (PutBucketLogging).
    public var accessLogInterval: Duration
    /// Where blobs go instead of the data folder's `blobs/` (metadata stays in the data folder);
    /// `nil` for the data folder.
    public var blobBackend: OSSBlobBackend?
    /// Where metadata lives: SQLite in the data folder, or a PostgreSQL database other servers
    /// may share.
    public var metadata: OSSMetadataBackend
    /// With shared metadata: how long a blob no object needs stays, for reads on other nodes.
    public var deletionGrace: Duration = .seconds(60)
    /// With shared metadata: how long a node may be silent before its unfinished writes are
    /// collected; it says it is alive four times as often.
    public var nodeLease: Duration = .seconds(60)
    /// The admin listener (health checks) and its address; `nil`, the default: none.
    public var admin: OSSAdminListener?
    /// How often the scrubber re-reads every stored blob (a pass begins this long after the last
    /// one finished, and at once when one was left unfinished); `nil` for never, except on request.
    public var scrubInterval: Duration? = .seconds(7 * 86_400)
    /// The most bytes per second the scrubber reads, so that it never starves requests.
    public var scrubRate: Int = 32_000_000
    /// Serve HTTPS with this certificate and key (read again on SIGHUP); `nil`, the default: HTTP.
    public var tls: OSSTLSFiles?

    /// A configuration; every default is what `oss serve` uses without flags.
    public init(
        host: String = "127.0.0.1",
        port: Int = OSSServerConfiguration.defaultPort,
        dataDirectory: URL,
        buckets: [String] = [],
        credentials: OSSCredentials,
        temporaryCredentials: [OSSTemporaryCredentials] = [],
        region: String = "cn-hangzhou",
        serviceHosts: [String] = ["localhost", "oss.local"],
        cnames: [String: String] = [:],
        idleTimeout: Duration = .seconds(300),
        maxConnections: Int? = nil,
        restoreDelay: Duration = .seconds(5),
        lifecycleInterval: Duration = .seconds(3600),
        lifecycleDay: Duration = .seconds(86_400),
        accessLogInterval: Duration = .seconds(300),
        blobBackend: OSSBlobBackend? = nil,
        metadata: OSSMetadataBackend = .sqlite
    ) {
        self.host = host
        self.port = port
        self.dataDirectory = dataDirectory
        self.buckets = buckets
        self.credentials = credentials
        self.temporaryCredentials = temporaryCredentials
        self.region = region
        self.serviceHosts = serviceHosts
        self.cnames = Dictionary(cnames.map { ($0.key.lowercased(), $0.value) }) { _, last in last }
        self.idleTimeout = idleTimeout
        self.maxConnections = maxConnections
        self.restoreDelay = restoreDelay
        self.lifecycleInterval = lifecycleInterval
        self.lifecycleDay = lifecycleDay
        self.accessLogInterval = accessLogInterval
        self.blobBackend = blobBackend
        self.metadata = metadata
    }
}

/// Where the admin listener serves (`oss serve --admin-address`), and the token it asks for.
public struct OSSAdminListener: Sendable, Hashable {
    public var host: String
    /// 0 picks a free port.
    public var port: Int
    /// What every request must carry as `Authorization: Bearer …`; `nil`: nothing is asked.
    public var token: String?

    public init(host: String, port: Int, token: String? = nil) {
        self.host = host
        self.port = port
        self.token = token
    }
}
