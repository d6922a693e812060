import Foundation
import OSSProtocol

/// Keys that expire (STS-style): fetched by a closure, cached, and fetched again shortly before
/// they expire. Concurrent requests during a refresh share one fetch.
public actor OSSRefreshingCredentialsProvider: OSSCredentialsProvider {
    /// Keys and the moment they stop being valid.
    public struct Expiring: Sendable {
        /// The key pair.
        public var credentials: OSSCredentials
        /// When the key pair expires; `nil` for never.
        public var expiration: Date?

        /// Creates a value.
        public init(credentials: OSSCredentials, expiration: Date?) {
            self.credentials = credentials
            self.expiration = expiration
        }
    }

    private let fetch: @Sendable () async throws -> Expiring
    private let margin: TimeInterval
    private var cached: Expiring?
    private var refreshing: Task<Expiring, any Error>?

    /// Creates a provider.
    /// - Parameters:
    ///   - refreshMargin: how long before expiry the keys count as stale, so that a request
    ///     signed just before expiry is not refused on arrival. 5 minutes by default.
    ///   - fetch: obtains fresh keys.
    public init(refreshMargin: TimeInterval = 300, fetch: @escaping @Sendable () async throws -> Expiring) {
        self.fetch = fetch
        margin = refreshMargin
    }

    /// The cached keys while fresh; otherwise the result of one shared fetch.
    public func credentials() async throws -> OSSCredentials {
        if let cached, cached.expiration.map({ $0.timeIntervalSinceNow > margin }) ?? true {
            return cached.credentials
        }
        if let refreshing { return try await refreshing.value.credentials }
        let task = Task { try await fetch() }
        refreshing = task
        defer { refreshing = nil }
        let fresh = try await task.value
        cached = fresh
        return fresh.credentials
    }
}
