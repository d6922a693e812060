import Hummingbird
import OSSProtocol

/// The S3 front end: S3's middleware around the same handlers OSS requests reach.
///
/// Outermost first: the request record (log line and metrics, shared with OSS), S3 error
/// rendering and common headers, then Signature V4 and the body's checks, then the operation.
struct S3Responder: HTTPResponder {
    typealias Context = OSSRequestContext

    private let chain: MiddlewareChain<Context>

    init(handlers: OSSHandlers, serviceHosts: [String], metrics: ServerMetrics? = nil) {
        chain = MiddlewareChain(
            [
                RequestRecordMiddleware(metrics: metrics),
                ErrorMiddleware(dialect: S3ErrorDialect()),
                S3AuthenticationMiddleware(verifier: S3RequestVerifier(), keys: handlers.keys, serviceHosts: serviceHosts),
            ],
            around: Dispatch(handlers: handlers))
    }

    func respond(to request: Request, context: Context) async throws -> Response {
        try await chain.respond(to: request, context: context)
    }

    /// The handler of the operation the authenticated request is, its documents written in
    /// S3's dialect (``XMLDialect``).
    struct Dispatch: HTTPResponder {
        let handlers: OSSHandlers

        func respond(to request: Request, context: Context) async throws -> Response {
            guard let authenticated = context.authenticated, let body = authenticated.s3 else {
                throw OSSError.internalError("The request reached its handler unauthenticated.")
            }
            let call = OSSCall(
                request: request, oss: authenticated.request, context: context, principal: authenticated.principal, s3: body)
            return try await XMLDialect.$current.withValue(.s3) {
                try await handlers.handleS3(call, body: body)
            }
        }
    }
}

/// The server's responder: an S3 request (``S3Signature/isS3(authorization:rawQuery:)``) goes to the S3
/// front end, every other one to OSS's.
struct FrontResponder: HTTPResponder {
    typealias Context = OSSRequestContext

    let oss: OSSResponder
    let s3: S3Responder

    func respond(to request: Request, context: Context) async throws -> Response {
        let path = request.head.path ?? "/"
        let query = path.firstIndex(of: "?").map { path[path.index(after: $0)...] } ?? ""
        if S3Signature.isS3(authorization: request.headers[.authorization], rawQuery: query) {
            return try await s3.respond(to: request, context: context)
        }
        return try await oss.respond(to: request, context: context)
    }
}
