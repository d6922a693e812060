import Hummingbird

/// A cross-origin request (one with `Origin`, other than a preflight, which answers for itself)
/// gets the `Access-Control-*` headers of its bucket's first matching CORS rule, on success and on
/// error alike, so that the page can read either. The bucket is the one the request target named.
struct BucketCORSMiddleware: RouterMiddleware {
    typealias Context = OSSRequestContext

    let handlers: OSSHandlers

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        var response = try await next(request, context)
        guard let origin = request.headers[.origin], request.method != .options,
            let bucket = context.exchange.target?.bucket
        else { return response }
        for field in await handlers.corsHeaders(bucket: bucket, origin: origin, method: request.method.rawValue) {
            response.headers[field.name] = field.value
        }
        return response
    }
}
