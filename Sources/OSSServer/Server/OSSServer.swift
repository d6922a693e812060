import Foundation
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import OSSProtocol

/// The OSS-compatible object server: storage opened on the data folder, one HTTP listener.
///
/// `run` returns when SIGINT or SIGTERM arrives (in-flight requests finish first) or when the
/// surrounding task is cancelled.
public struct OSSServer: Sendable {
    /// Where to listen, where the data lives, and who may sign requests.
    public let configuration: OSSServerConfiguration
    let logger: Logger

    /// Prepares a server; nothing is opened until ``run(onListening:)``.
    public init(configuration: OSSServerConfiguration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
    }

    /// Opens storage, creates the configured buckets, and serves until shut down.
    ///
    /// - Parameter onListening: called once with the bound host and port (the real port when
    ///   the configuration asked for port 0).
    public func run(onListening: @escaping @Sendable (_ host: String, _ port: Int) async -> Void) async throws {
        // Read first: a certificate that cannot be served stops the start before anything opens.
        let certificate = try configuration.tls.map { files throws(ServerCertificateError) in try ServerCertificate(files) }
        let backend = configuration.blobBackend.map { S3BlobClient($0) }
        do {
            let storage = try await openStorage(backend: backend)
            let keyring = keyring(owner: storage.owner.id)
            try await keyring.reload(from: storage.identities)
            do {
                try await application(storage: storage, keyring: keyring, certificate: certificate, onListening: onListening)
                    .runService()
            } catch {
                // Taken between a check and the bind, or never checked: still one line with the fix.
                throw ListenAddressError.from(error, host: configuration.host, port: configuration.port) ?? error
            }
        } catch {
            try? await backend?.shutdown()
            throw error
        }
        try await backend?.shutdown()
    }

    /// The server's key pairs for the user `owner`; ``Keyring/reload(from:)`` adds the stored ones.
    func keyring(owner: String) -> Keyring {
        Keyring(owner: configuration.credentials, ownerID: owner, temporary: configuration.temporaryCredentials)
    }

    /// Opens the data folder (running crash recovery) and creates the configured buckets; with
    /// `backend`, blobs go to its bucket, which is created first if missing.
    func openStorage(backend: S3BlobClient? = nil) async throws -> ObjectStorage {
        var storageConfiguration = StorageConfiguration()
        storageConfiguration.restoreDelay = configuration.restoreDelay
        storageConfiguration.deletionGrace = configuration.deletionGrace
        storageConfiguration.nodeLease = configuration.nodeLease
        storageConfiguration.collectorInterval = min(.seconds(10), configuration.nodeLease / 4)
        if let backend {
            try await backend.createBucket()
            logger.info(
                "blobs in the S3 backend",
                metadata: ["endpoint": "\(backend.configuration.scheme)://\(backend.configuration.hostHeader)", "bucket": "\(backend.configuration.bucket)"])
        }
        let storage = try await ObjectStorage.open(
            directory: configuration.dataDirectory.path, configuration: storageConfiguration, logger: logger,
            metadata: configuration.metadata, blobStore: backend.map { S3BlobStore(client: $0) })
        for bucket in configuration.buckets {
            try OSSNames.validateBucketName(bucket)
            if try await storage.createBucketIfMissing(bucket, location: location).created {
                logger.info("created bucket \(bucket)")
            }
        }
        return storage
    }

    /// The HTTP application over `storage` (HTTPS with `certificate`); tests run it with
    /// HummingbirdTesting.
    func application(
        storage: ObjectStorage,
        keyring: Keyring? = nil,
        metrics: ServerMetrics = ServerMetrics(),
        certificate: ServerCertificate? = nil,
        onListening: @escaping @Sendable (_ host: String, _ port: Int) async -> Void = { _, _ in }
    ) -> Application<FrontResponder> {
        let keyring = keyring ?? self.keyring(owner: storage.owner.id)
        let accessLog = AccessLog()
        let scrub = ScrubControl()
        metrics.observe(storage.timings)
        let handlers = OSSHandlers(storage: storage, location: location, keys: keyring, logger: logger)
        let responder = FrontResponder(
            oss: OSSResponder(
                handlers: handlers,
                verifier: OSSRequestVerifier(region: configuration.region),
                serviceHosts: configuration.serviceHosts,
                cnames: configuration.cnames,
                accessLog: accessLog,
                metrics: metrics),
            s3: S3Responder(handlers: handlers, serviceHosts: configuration.serviceHosts, metrics: metrics))
        let host = configuration.host
        let maxConnections = configuration.maxConnections
            ?? FileDescriptorLimit.defaultConnectionCap(forLimit: FileDescriptorLimit.raise())
        let http = HTTP1Channel.Configuration(
            additionalChannelHandlers: [
                FrontHandlerInstaller { ChunkedLengthReconciler() }, ParserErrorResponder(), UnreadBodyCloser(),
            ],
            idleTimeout: TimeAmount(configuration.idleTimeout))
        return Application(
            responder: responder,
            server: certificate.map { certificate in
                HTTPServerBuilder { responder in
                    TLSServerChannel(base: HTTP1Channel(responder: responder, configuration: http), certificate: certificate)
                }
            } ?? .http1(configuration: http),
            configuration: .init(
                address: .hostname(host, port: configuration.port), serverName: nil,
                availableConnectionsDelegate: ConnectionLimit(maximum: maxConnections, logger: logger, metrics: metrics)),
            services: [
                LifecycleService(
                    storage: storage, interval: configuration.lifecycleInterval, day: configuration.lifecycleDay,
                    logger: logger),
                IdentityReloadService(storage: storage, keyring: keyring, logger: logger),
                AccessLogService(storage: storage, log: accessLog, interval: configuration.accessLogInterval, logger: logger),
                ScrubService(
                    storage: storage, interval: configuration.scrubInterval, bytesPerSecond: configuration.scrubRate,
                    control: scrub, metrics: metrics, logger: logger),
            ] + (storage.node == nil ? [] : [BlobCollectorService(storage: storage, logger: logger)])
                + (certificate.map { [CertificateReloadService(certificate: $0, logger: logger)] } ?? [])
                + (configuration.admin.map { [adminApplication($0, storage: storage, metrics: metrics, scrub: scrub)] } ?? []),
            onServerRunning: { channel in
                await onListening(host, channel.localAddress?.port ?? 0)
            },
            logger: logger
        )
    }

    /// The admin listener's application (``AdminRouter``), run beside the OSS one.
    func adminApplication(
        _ admin: OSSAdminListener, storage: ObjectStorage, metrics: ServerMetrics, scrub: ScrubControl? = nil
    ) -> some ApplicationProtocol {
        let logger = self.logger
        return Application(
            router: AdminRouter(storage: storage, token: admin.token, metrics: metrics, scrub: scrub).router(),
            configuration: .init(address: .hostname(admin.host, port: admin.port), serverName: nil),
            onServerRunning: { channel in
                logger.info("admin listener (health, metrics, scrub) on \(admin.host):\(channel.localAddress?.port ?? admin.port)")
            },
            logger: logger)
    }

    var location: String { "oss-\(configuration.region)" }
}
