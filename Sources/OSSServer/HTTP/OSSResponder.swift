import Hummingbird
import OSSProtocol

/// The server's responder: the OSS middleware around the handlers.
///
/// Outermost first: one record per request (a log line and the metrics), the bucket's access log, bucket CORS headers, OSS
/// error rendering and the
/// common response headers, then target parsing and authentication, then the handler. OSS
/// addresses everything by path and sub-resource query parameters (`?uploads`,
/// `?uploadId=…&partNumber=…`), which a path router cannot express, so the handler is chosen by
/// one switch (``OSSOperation``) rather than a router.
struct OSSResponder: HTTPResponder {
    typealias Context = OSSRequestContext

    private let chain: MiddlewareChain<Context>
    /// Whether the metadata store is shared with other nodes: then each request reads its
    /// bucket's settings once, together (``RequestBucketReads``), instead of from caches.
    private let readsPerRequest: Bool

    init(
        handlers: OSSHandlers, verifier: OSSRequestVerifier, serviceHosts: [String], cnames: [String: String],
        accessLog: AccessLog, metrics: ServerMetrics? = nil
    ) {
        readsPerRequest = handlers.storage.metadata.isShared
        chain = MiddlewareChain(
            [
                RequestRecordMiddleware(metrics: metrics),
                AccessLogMiddleware(storage: handlers.storage, log: accessLog),
                BucketCORSMiddleware(handlers: handlers),
                ErrorMiddleware(dialect: OSSErrorDialect()),
                OSSAuthenticationMiddleware(
                    verifier: verifier, keys: handlers.keys, serviceHosts: serviceHosts, cnames: cnames,
                    bucketExists: { bucket in await handlers.storage.bucketExists(bucket) }),
            ],
            around: Dispatch(handlers: handlers))
    }

    func respond(to request: Request, context: Context) async throws -> Response {
        guard readsPerRequest else { return try await chain.respond(to: request, context: context) }
        return try await RequestBucketReads.$current.withValue(RequestBucketReads()) {
            try await chain.respond(to: request, context: context)
        }
    }

    /// The innermost responder: the handler of the operation the authenticated request is.
    struct Dispatch: HTTPResponder {
        let handlers: OSSHandlers

        func respond(to request: Request, context: Context) async throws -> Response {
            guard let authenticated = context.authenticated else {
                throw OSSError.internalError("The request reached its handler unauthenticated.")
            }
            return try await handlers.handle(
                OSSCall(request: request, oss: authenticated.request, context: context, principal: authenticated.principal))
        }
    }
}
