import AsyncHTTPClient
import Logging
import NIOCore

/// The entry point of the SDK: one per process (or per endpoint), shared by every task.
///
/// It holds the configuration and one HTTP connection pool (AsyncHTTPClient's `HTTPClient`),
/// which every operation, paginator and transfer manager reuses. It is a value: copies share
/// the pool.
///
/// **Shut it down.** Call ``shutdown()`` once every operation has finished, before the client
/// is released; AsyncHTTPClient traps when a pool it created is deinitialised while running.
/// When you pass your own `HTTPClient` to ``init(configuration:httpClient:logger:)``, its
/// lifetime stays yours and ``shutdown()`` leaves it running.
///
/// ```swift
/// let client = try OSSClient(endpoint: "http://127.0.0.1:9000", credentials: .environment())
/// let info = try await client.headObject(bucket: "bkt", key: "photo.jpg")
/// try await client.shutdown()  // also on error paths: catch, shut down, rethrow
/// ```
public struct OSSClient: Sendable {
    /// The configuration every request follows.
    public let configuration: OSSClientConfiguration
    let httpClient: HTTPClient
    let ownsHTTPClient: Bool
    let logger: Logger

    /// Creates a client with its own connection pool, or on a caller's `HTTPClient`.
    ///
    /// - Parameters:
    ///   - httpClient: an existing pool to share (for example one with a proxy or DNS override);
    ///     `nil` creates one from ``OSSClientConfiguration/timeouts`` and
    ///     ``OSSClientConfiguration/trustedRoots``.
    ///   - logger: receives retry and transfer diagnostics at `debug` level.
    public init(configuration: OSSClientConfiguration, httpClient: HTTPClient? = nil, logger: Logger? = nil) {
        self.configuration = configuration
        self.logger = logger ?? Logger(label: "swift-oss.client", factory: { _ in SwiftLogNoOpLogHandler() })
        if let httpClient {
            self.httpClient = httpClient
            ownsHTTPClient = false
        } else {
            var http = HTTPClient.Configuration()
            http.timeout = .init(
                connect: .init(configuration.timeouts.connect), read: .init(configuration.timeouts.read))
            http.redirectConfiguration = .disallow
            // A connection that cannot be made fails the request at once; the retry policy then
            // decides (a refused connection, an unknown host or a failed handshake are not tried
            // again; a timeout is), instead of the pool dialling until the connect timeout.
            http.connectionPool.retryConnectionEstablishment = false
            if let tls = configuration.trustedRoots.tlsConfiguration { http.tlsConfiguration = tls }
            self.httpClient = HTTPClient(eventLoopGroupProvider: .singleton, configuration: http)
            ownsHTTPClient = true
        }
    }

    /// Creates a client for an endpoint string with default settings (V4, retries, CRC checks).
    /// - Throws: ``OSSClientError/invalidArgument(_:)`` when the endpoint does not parse.
    public init(
        endpoint: String,
        region: String = "cn-hangzhou",
        credentials: any OSSCredentialsProvider,
        signatureVersion: OSSSignatureVersion = .v4
    ) throws(OSSClientError) {
        self.init(
            configuration: try OSSClientConfiguration(
                endpoint: endpoint, region: region, credentials: credentials, signatureVersion: signatureVersion))
    }

    /// Closes the connection pool this client created. Await it once, after the last operation;
    /// operations started afterwards fail. Does nothing to a pool passed in by the caller.
    public func shutdown() async throws {
        guard ownsHTTPClient else { return }
        try await httpClient.shutdown()
    }
}
