import Foundation
import OSSProtocol

/// A source of access keys, asked before every signature.
///
/// Asking each time (instead of storing a key in the client) is what lets keys rotate without
/// recreating clients; providers that fetch keys remotely cache them, as
/// ``OSSRefreshingCredentialsProvider`` does.
public protocol OSSCredentialsProvider: Sendable {
    /// The keys to sign the next request with.
    /// - Throws: when no keys are available; the request then fails with that error.
    func credentials() async throws -> OSSCredentials
}

/// A fixed key pair, for tests and for keys that never change.
public struct OSSStaticCredentialsProvider: OSSCredentialsProvider {
    /// The key pair returned every time.
    public let value: OSSCredentials

    /// Creates a provider for one key pair.
    public init(_ credentials: OSSCredentials) {
        value = credentials
    }

    /// Returns the fixed key pair.
    public func credentials() async throws -> OSSCredentials {
        value
    }
}

/// Keys from `OSS_ACCESS_KEY_ID` and `OSS_ACCESS_KEY_SECRET`, the variables both official SDKs
/// and `oss serve` read, so one exported pair configures server and clients alike; with
/// `OSS_SESSION_TOKEN` set too (as the official SDKs read it), temporary STS credentials.
public struct OSSEnvironmentCredentialsProvider: OSSCredentialsProvider {
    /// The environment to read; the process environment by default, a dictionary in tests.
    let environment: @Sendable () -> [String: String]

    /// Reads the process environment at each signature.
    public init() {
        environment = { ProcessInfo.processInfo.environment }
    }

    /// Reads the given variables instead of the process environment.
    public init(environment: [String: String]) {
        self.environment = { environment }
    }

    /// The pair from the environment.
    /// - Throws: ``OSSClientError/credentialsUnavailable(_:)`` naming the missing variable.
    public func credentials() async throws -> OSSCredentials {
        do {
            return try OSSCredentials.fromEnvironment(environment())
        } catch {
            throw OSSClientError.credentialsUnavailable("\(error.name) is not set; export it or pass credentials.")
        }
    }
}

/// Keys from a closure, called before every signature: for keys kept in an application's own
/// store. For keys that are expensive to fetch, use ``OSSRefreshingCredentialsProvider``.
public struct OSSClosureCredentialsProvider: OSSCredentialsProvider {
    let body: @Sendable () async throws -> OSSCredentials

    /// Creates a provider that calls `body` for every request.
    public init(_ body: @escaping @Sendable () async throws -> OSSCredentials) {
        self.body = body
    }

    /// Calls the closure.
    public func credentials() async throws -> OSSCredentials {
        try await body()
    }
}

extension OSSCredentialsProvider where Self == OSSStaticCredentialsProvider {
    /// A fixed key pair; with a security token, fixed temporary (STS) credentials.
    public static func `static`(accessKeyID: String, secret: String, securityToken: String? = nil) -> Self {
        OSSStaticCredentialsProvider(OSSCredentials(accessKeyID: accessKeyID, secret: secret, securityToken: securityToken))
    }
}

extension OSSCredentialsProvider where Self == OSSEnvironmentCredentialsProvider {
    /// `OSS_ACCESS_KEY_ID`, `OSS_ACCESS_KEY_SECRET` and, when set, `OSS_SESSION_TOKEN` from the
    /// process environment.
    public static func environment() -> Self {
        OSSEnvironmentCredentialsProvider()
    }
}

extension OSSCredentialsProvider where Self == OSSClosureCredentialsProvider {
    /// Keys from a closure called before every signature.
    public static func closure(_ body: @escaping @Sendable () async throws -> OSSCredentials) -> Self {
        OSSClosureCredentialsProvider(body)
    }
}
