import Hummingbird

/// Middleware around a final responder, as one responder: each middleware calls the next, the
/// last one the responder. A second protocol front end builds its own chain from the same parts.
struct MiddlewareChain<Context: RequestContext>: HTTPResponder {
    private let first: @Sendable (Request, Context) async throws -> Response

    /// - Parameter middleware: outermost first.
    init(_ middleware: [any RouterMiddleware<Context>], around responder: some HTTPResponder<Context>) {
        var next: @Sendable (Request, Context) async throws -> Response = responder.respond(to:context:)
        for layer in middleware.reversed() {
            let inner = next
            next = { request, context in try await layer.handle(request, context: context, next: inner) }
        }
        first = next
    }

    func respond(to request: Request, context: Context) async throws -> Response {
        try await first(request, context)
    }
}
