import Hummingbird
import NIOConcurrencyHelpers

/// The routes of the admin listener (`oss serve --admin-address`): health for load balancers
/// and supervisors, metrics for Prometheus. It listens on an address of its own because every path on the OSS port
/// names a bucket.
///
/// - `GET /health/live`: 200 while the process serves at all.
/// - `GET /health/ready`: 200 when the metadata store answers a read and the blob store takes a
///   write (``MetadataStore/probe()``, ``BlobStore/probe()``), each within ``probeLimit``;
///   503 otherwise. The body has one line per part, `ok` or what went wrong, for a person
///   reading it; the status is the answer.
///
/// - `GET /metrics`: the server's metrics in the Prometheus text format (``ServerMetrics``).
/// - `GET /scrub`: the scrubber's status; `POST /scrub` starts a pass now (202; 409 while one
///   runs).
///
/// With a token (`--admin-token-file`), every request must carry `Authorization: Bearer TOKEN`.
struct AdminRouter {
    let storage: ObjectStorage
    let token: String?
    /// The OSS listener's metrics; without them `/metrics` is not served.
    var metrics: ServerMetrics? = nil
    /// The scrubber's; without it `/scrub` is not served.
    var scrub: ScrubControl? = nil
    /// How long a readiness probe may take before the part counts as not ready: a load balancer
    /// asks again soon, and a probe that hangs must not hang its check.
    var probeLimit: Duration = .seconds(2)

    func router() -> Router<BasicRequestContext> {
        let router = Router()
        if let token { router.add(middleware: BearerTokenMiddleware(token: token)) }
        router.get("/health/live") { _, _ in "ok\n" }
        router.get("/health/ready") { _, _ in await readiness() }
        if let scrub {
            router.get("/scrub") { _, _ in scrub.text }
            router.post("/scrub") { _, _ in
                let started = scrub.request()
                return Response(
                    status: started ? .accepted : .conflict, headers: [.contentType: "text/plain; charset=utf-8"],
                    body: ResponseBody(byteBuffer: ByteBuffer(string: started ? "scrub pass starting\n" : "a scrub pass is running\n")))
            }
        }
        if let metrics {
            let storage = self.storage
            router.get("/metrics") { _, _ in
                Response(
                    status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                    body: ResponseBody(byteBuffer: ByteBuffer(bytes: await metrics.render(storage: storage))))
            }
        }
        return router
    }

    /// The readiness answer: both probes run at once.
    func readiness() async -> Response {
        let (metadata, blobs) = (storage.metadata, storage.blobs)
        async let metadataProblem = Self.problem(within: probeLimit) { () async throws(StorageError) in try await metadata.probe() }
        async let blobProblem = Self.problem(within: probeLimit) { () async throws(StorageError) in try await blobs.probe() }
        let parts = [("metadata", await metadataProblem), ("blobs", await blobProblem)]
        let ready = parts.allSatisfy { $0.1 == nil }
        let body = parts.map { "\($0.0): \($0.1 ?? "ok")" }.joined(separator: "\n") + "\n"
        return Response(
            status: ready ? .ok : .serviceUnavailable, headers: [.contentType: "text/plain; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
    }

    /// What is wrong with the part `probe` checks, `nil` when it answered in time.
    ///
    /// The probe runs in a task of its own, so that one that ignores cancellation cannot hold
    /// the answer past the limit.
    static func problem(
        within limit: Duration, _ probe: @escaping @Sendable () async throws(StorageError) -> Void
    ) async -> String? {
        let answered = NIOLockedValueBox(false)
        return await withCheckedContinuation { (continuation: CheckedContinuation<String?, Never>) in
            @Sendable func answer(_ problem: String?) {
                let first = answered.withLockedValue { answered in
                    defer { answered = true }
                    return !answered
                }
                if first { continuation.resume(returning: problem) }
            }
            let work = Task {
                do throws(StorageError) {
                    try await probe()
                    answer(nil)
                } catch {
                    answer(error.description)
                }
            }
            Task {
                try? await Task.sleep(for: limit)
                answer("no answer within \(limit)")
                work.cancel()
            }
        }
    }
}

/// Refuses requests without `Authorization: Bearer TOKEN` (401), comparing in constant time.
struct BearerTokenMiddleware<Context: RequestContext>: RouterMiddleware {
    let token: String

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let header = request.headers[.authorization], header.hasPrefix("Bearer "),
            Self.equal(Array(header.utf8.dropFirst(7)), Array(token.utf8))
        else {
            return Response(
                status: .unauthorized, headers: [.wwwAuthenticate: "Bearer"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: "a bearer token is required\n")))
        }
        return try await next(request, context)
    }

    /// Whether `a` and `b` are equal, in a time that depends on their lengths only.
    static func equal(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for index in a.indices { difference |= a[index] ^ b[index] }
        return difference == 0
    }
}
