import AsyncHTTPClient
import NIOCore
import NIOPosix
import NIOSSL

/// A request that failed below HTTP: what went wrong, the underlying error, and how many
/// attempts were made.
public struct OSSTransportFailure: Sendable, CustomStringConvertible {
    /// What AsyncHTTPClient or NIO reported.
    public var underlying: any Error
    /// Attempts made before giving up.
    public var attempts: Int
    /// The endpoint the request went to, when known.
    public var endpoint: String?

    /// What kind of failure it was; it decides whether trying again can help.
    public enum Kind: Sendable, Hashable {
        /// Nothing listens at the address (`ECONNREFUSED`): asking again only repeats it.
        case connectionRefused
        /// The host name does not resolve.
        case hostNotFound
        /// The TLS handshake failed: a certificate not trusted, or an endpoint that does not
        /// speak TLS where `https` was asked.
        case tls
        /// No answer in time (connect, read or the whole request).
        case timeout
        /// Anything else: a connection reset or closed mid-request, and the like.
        case other
    }

    /// Creates a failure.
    public init(underlying: any Error, attempts: Int, endpoint: String? = nil) {
        self.underlying = underlying
        self.attempts = attempts
        self.endpoint = endpoint
    }

    /// The kind of `underlying`.
    public var kind: Kind { Self.kind(of: underlying) }

    /// Whether another attempt can succeed where this one failed: timeouts and lost
    /// connections, never a refused connection, an unknown host or a failed handshake.
    public var isRetryable: Bool {
        switch kind {
        case .connectionRefused, .hostNotFound, .tls: false
        case .timeout, .other: true
        }
    }

    /// One line naming the problem and the likely fix; never a raw NIO error or a build path.
    public var description: String {
        let target = endpoint ?? "the endpoint"
        let tries = attempts > 1 ? " (after \(attempts) attempts)" : ""
        switch kind {
        case .connectionRefused:
            return "cannot connect to \(target): connection refused; is the server (oss serve) running there?"
        case .hostNotFound:
            return "cannot connect to \(target): its host name does not resolve; check the endpoint's spelling"
        case .tls:
            let text = "\(underlying)"
            if text.contains("WRONG_VERSION_NUMBER") || text.contains("wrong version number") {
                return "cannot connect to \(target): the server does not speak TLS there; use an http:// endpoint"
            }
            if text.contains("CERTIFICATE_VERIFY_FAILED") || text.contains("certificate verify failed") {
                return "cannot connect to \(target): its TLS certificate is not trusted; if a private CA issued it, "
                    + "trust that CA (oss --ca-bundle FILE; OSSTrustedRoots.pemFile in the SDK)"
            }
            return "cannot connect to \(target): the TLS handshake failed (\(Self.summary(underlying)))"
        case .timeout:
            return "no answer from \(target) in time\(tries)"
        case .other:
            return "the connection to \(target) failed\(tries): \(Self.summary(underlying))"
        }
    }

    static func kind(of error: any Error) -> Kind {
        switch error {
        case let error as NIOConnectionError:
            if error.connectionErrors.isEmpty, error.dnsAError != nil || error.dnsAAAAError != nil { return .hostNotFound }
            if !error.connectionErrors.isEmpty,
                error.connectionErrors.allSatisfy({ ($0.error as? IOError)?.errnoCode == ECONNREFUSED })
            {
                return .connectionRefused
            }
            return .other
        case let error as IOError where error.errnoCode == ECONNREFUSED:
            return .connectionRefused
        case is NIOSSLError, is BoringSSLError, is NIOSSLExtraError:
            return .tls
        case is SocketAddressError:
            return .hostNotFound
        case let error as HTTPClientError:
            if [.connectTimeout, .readTimeout, .deadlineExceeded, .writeTimeout].contains(error) { return .timeout }
            return .other
        case let error as ChannelError:
            if case .connectTimeout = error { return .timeout }
            return .other
        default:
            return .other
        }
    }

    /// The error's own words, without source paths.
    private static func summary(_ error: any Error) -> String {
        "\(error)".split(separator: " ").filter { !$0.contains("/Sources/") && !$0.contains(".swift:") }.joined(separator: " ")
    }
}
