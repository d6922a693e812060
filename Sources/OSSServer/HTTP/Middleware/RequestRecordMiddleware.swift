import Hummingbird

/// One log line per request, with the request id the context's logger carries, who made it
/// (`principal`: a user id and the key it signed with, `sts` for temporary credentials, or
/// `anonymous`), the status and the time taken; the path only, since a presigned query carries a
/// signature. Requests that failed authentication name no principal.
struct RequestLogMiddleware: RouterMiddleware {
    typealias Context = OSSRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        let started = ContinuousClock.now
        let response = try await next(request, context)
        let path = request.head.path.map { $0.split(separator: "?", maxSplits: 1).first.map(String.init) ?? $0 } ?? "/"
        let milliseconds = (ContinuousClock.now - started) / .milliseconds(1)
        context.logger.info(
            "\(request.method) \(path) \(response.status.code) \(Int(milliseconds)) ms",
            metadata: ["principal": .string(context.exchange.signer?.description ?? "-")])
        return response
    }
}
