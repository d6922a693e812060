import Hummingbird

/// One log line per request, with the request id the context's logger carries, the status and
/// the time taken; the path only, since a presigned query carries a signature.
struct RequestLogMiddleware: RouterMiddleware {
    typealias Context = OSSRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        let started = ContinuousClock.now
        let response = try await next(request, context)
        let path = request.head.path.map { $0.split(separator: "?", maxSplits: 1).first.map(String.init) ?? $0 } ?? "/"
        let milliseconds = (ContinuousClock.now - started) / .milliseconds(1)
        context.logger.info("\(request.method) \(path) \(response.status.code) \(Int(milliseconds)) ms")
        return response
    }
}
