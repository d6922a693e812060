/// Everything an ``OSSClient`` decides once: where the service is, who signs, how requests are
/// retried and timed out, and whether transfers are checked with CRC-64.
public struct OSSClientConfiguration: Sendable {
    /// The service endpoint and addressing style.
    public var endpoint: OSSEndpoint
    /// The region of V4 signature scopes, such as `cn-hangzhou` (swift-oss's default region).
    public var region: String
    /// Where access keys come from; asked before every signature, so rotated keys take effect.
    public var credentials: any OSSCredentialsProvider
    /// V4 by default, as the v2 SDK; V1 for servers that only speak it.
    public var signatureVersion: OSSSignatureVersion
    /// Connect, idle-read and whole-request limits.
    public var timeouts: OSSTimeouts
    /// Which failures are retried, how often, and how long to wait in between.
    public var retry: OSSRetryPolicy
    /// Whether every transfer is checked against the server's `x-oss-hash-crc64ecma`.
    ///
    /// On by default. Turning it off makes every result report ``OSSCRCVerification/unverified(_:)``
    /// with ``OSSCRCVerification/Reason/disabled``, and uploads stop sending their CRC, so the
    /// server no longer refuses corrupted bodies either.
    public var verifiesCRC64: Bool
    /// The certificate authorities an `https` endpoint must be certified by: the system's, or a
    /// private CA's (``OSSTrustedRoots/pemFile(_:)``). Used when the client creates its pool.
    public var trustedRoots: OSSTrustedRoots = .system

    /// Creates a configuration.
    ///
    /// - Parameters:
    ///   - endpoint: such as `http://127.0.0.1:9000`; see ``OSSEndpoint/init(_:addressing:)``.
    ///   - region: the V4 scope region; `cn-hangzhou` matches `oss serve`'s default.
    ///   - credentials: for example `.environment()` or `.static(accessKeyID:secret:)`.
    public init(
        endpoint: OSSEndpoint,
        region: String = "cn-hangzhou",
        credentials: any OSSCredentialsProvider,
        signatureVersion: OSSSignatureVersion = .v4,
        timeouts: OSSTimeouts = OSSTimeouts(),
        retry: OSSRetryPolicy = OSSRetryPolicy(),
        verifiesCRC64: Bool = true
    ) {
        self.endpoint = endpoint
        self.region = region
        self.credentials = credentials
        self.signatureVersion = signatureVersion
        self.timeouts = timeouts
        self.retry = retry
        self.verifiesCRC64 = verifiesCRC64
    }

    /// Creates a configuration from an endpoint string.
    /// - Throws: ``OSSClientError/invalidArgument(_:)`` when the endpoint does not parse.
    public init(
        endpoint: String,
        addressing: OSSEndpoint.Addressing = .automatic,
        region: String = "cn-hangzhou",
        credentials: any OSSCredentialsProvider,
        signatureVersion: OSSSignatureVersion = .v4
    ) throws(OSSClientError) {
        self.init(
            endpoint: try OSSEndpoint(endpoint, addressing: addressing), region: region, credentials: credentials,
            signatureVersion: signatureVersion)
    }
}

/// The signature scheme requests are signed with (§2).
public enum OSSSignatureVersion: Sendable, Hashable {
    /// `OSS ak:signature`, HMAC-SHA1: what oss2 sends by default.
    case v1
    /// `OSS4-HMAC-SHA256`: the current scheme, scoped to a region and a day.
    case v4
}

/// Time limits; each exists because a dead peer must not hang a transfer forever.
public struct OSSTimeouts: Sendable, Hashable {
    /// How long establishing a connection may take.
    public var connect: Duration
    /// How long a connection may stay silent while a response is awaited or streamed.
    public var read: Duration
    /// A limit on one whole request, body included; `nil` (the default) for none, because large
    /// transfers legitimately take long and ``read`` already detects a stalled peer.
    public var request: Duration?

    /// Creates limits: 10 s to connect, 60 s of silence, no overall limit by default.
    public init(connect: Duration = .seconds(10), read: Duration = .seconds(60), request: Duration? = nil) {
        self.connect = connect
        self.read = read
        self.request = request
    }
}
