import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOConcurrencyHelpers
import NIOCore
import OSSProtocol

/// The per-request context: Hummingbird's core storage plus the OSS request id, which every
/// response carries and every log line of the request names, and what the middleware learnt.
struct OSSRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    /// The `x-oss-request-id` of this request (see ``OSSRequestID``).
    let requestID: String
    /// What inner middleware found out that outer middleware needs after `next` returned or
    /// threw (contexts are passed inward by value, so that travels by reference).
    let exchange = Exchange()
    /// The request as OSS sees it and who signed it, once ``OSSAuthenticationMiddleware`` passed it.
    var authenticated: Authenticated?
    /// The connection, for the one thing a handler writes besides its response: `100 Continue`.
    let channel: any Channel

    init(source: ApplicationRequestContextSource) {
        requestID = OSSRequestID.make(now: Date())
        var logger = source.logger
        logger[metadataKey: "request-id"] = .string(requestID)
        coreContext = .init(source: ApplicationRequestContextSource(channel: source.channel, logger: logger))
        channel = source.channel
    }

    /// Object bodies are streamed by the handlers; nothing is collected through this limit.
    var maxUploadSize: Int { 1 << 20 }

    /// An authenticated request.
    struct Authenticated: Sendable {
        /// The decoded bucket, key, query and headers.
        let request: OSSRequest
        /// Who signed, or `nil` for an anonymous request (the ACLs decide).
        let principal: OSSPrincipal?
        /// For an S3 request, how its body is read and checked; `nil` for OSS.
        var s3: S3RequestBody? = nil
    }

    /// Set once by inner middleware, read by outer middleware.
    final class Exchange: Sendable {
        private let parsedTarget = NIOLockedValueBox<OSSRequestTarget?>(nil)
        private let caller = NIOLockedValueBox<Signer?>(nil)
        private let routed = NIOLockedValueBox<OSSOperation?>(nil)
        private let refusal = NIOLockedValueBox<OSSError?>(nil)

        /// The bucket, key and query the request addresses, once parsed: CORS rules and error
        /// host ids need its bucket, also when the request failed afterwards.
        var target: OSSRequestTarget? {
            get { parsedTarget.withLockedValue { $0 } }
            set { parsedTarget.withLockedValue { $0 = newValue } }
        }

        /// The operation the request is, once routed: access logs name it.
        var operation: OSSOperation? {
            get { routed.withLockedValue { $0 } }
            set { routed.withLockedValue { $0 = newValue } }
        }

        /// The error the request was answered with, once rendered (``ErrorMiddleware``): the
        /// request record names its code, and counts a refused CRC-64.
        var error: OSSError? {
            get { refusal.withLockedValue { $0 } }
            set { refusal.withLockedValue { $0 = newValue } }
        }

        /// Who made the request, once authenticated; `nil` while (or because) it was not.
        var signer: Signer? {
            get { caller.withLockedValue { $0 } }
            set { caller.withLockedValue { $0 = newValue } }
        }
    }

    /// Who made an authenticated request.
    enum Signer: Sendable {
        case anonymous
        case principal(OSSPrincipal)

        /// As log lines name it: the user id and the key it signed with (`sts` after it for
        /// temporary credentials), or `anonymous`.
        var description: String {
            switch self {
            case .anonymous: "anonymous"
            case .principal(let principal):
                "\(principal.userID)/\(principal.accessKeyID)" + (principal.isTemporary ? " sts" : "")
            }
        }

        var principal: OSSPrincipal? {
            if case .principal(let principal) = self { principal } else { nil }
        }
    }
}
