import Hummingbird
import Logging
import NIOConcurrencyHelpers
import OSSProtocol

/// One record per request, written once its answer has left: a log line and the metrics
/// (``ServerMetrics``).
///
/// The line says what was asked and how it went: method and path (the path only, since a
/// presigned query carries a signature), status and time taken, and as metadata the request id
/// (which the context's logger carries), the OSS operation, bucket and key, body bytes received
/// and sent, the remote address, and who made it (`principal`: a user id and the key it signed
/// with, `sts` for temporary credentials, or `anonymous`; nothing for a request that failed
/// authentication). Never a secret or a signature. An answer cut off while it was being sent
/// says so (`incomplete`).
///
/// The record waits for the body because that is where a GET spends its time and bytes; a
/// record written when the handler returned would report neither.
struct RequestRecordMiddleware: RouterMiddleware {
    typealias Context = OSSRequestContext

    let metrics: ServerMetrics?

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        let started = ContinuousClock.now
        // The path only: a presigned query carries a signature.
        let line = "\(request.method) " + (request.head.path.map { $0.split(separator: "?", maxSplits: 1).first.map(String.init) ?? $0 } ?? "/")
        let received = ByteTally()
        var counted = request
        counted.body = RequestBody(asyncSequence: request.body.map { buffer in
            received.add(buffer.readableBytes)
            return buffer
        })
        let response: Response
        do {
            response = try await next(counted, context)
        } catch {
            // Below the error middleware nothing throws but a broken connection.
            record(line, context, status: 500, started: started, received: received.total, sent: 0, complete: false)
            throw error
        }
        var answered = response
        let status = Int(response.status.code)
        let answer = response.body
        answered.body = ResponseBody(contentLength: answer.contentLength) { writer in
            let sent = ByteTally()
            do {
                try await answer.write(writer.map { buffer in
                    sent.add(buffer.readableBytes)
                    return buffer
                })
            } catch {
                record(line, context, status: status, started: started, received: received.total, sent: sent.total, complete: false)
                throw error
            }
            record(line, context, status: status, started: started, received: received.total, sent: sent.total, complete: true)
        }
        return answered
    }

    private func record(
        _ line: String, _ context: Context, status: Int, started: ContinuousClock.Instant, received: Int, sent: Int,
        complete: Bool
    ) {
        let duration = ContinuousClock.now - started
        let operation = context.exchange.operation.map(AccessLogMiddleware.name) ?? "Unrouted"
        if let metrics {
            metrics.requestServed(operation: operation, status: status, duration: duration, received: received, sent: sent)
            if context.exchange.error?.declaredCRCMismatch != nil { metrics.crcMismatch(.upload) }
        }
        var metadata: Logger.Metadata = [
            "principal": .string(context.exchange.signer?.description ?? "-"),
            "operation": .string(operation),
            "bytes-in": .stringConvertible(received),
            "bytes-out": .stringConvertible(sent),
            "remote": .string(context.channel.remoteAddress?.ipAddress ?? "-"),
        ]
        if let target = context.exchange.target {
            if let bucket = target.bucket { metadata["bucket"] = .string(bucket) }
            if let key = target.key { metadata["key"] = .string(key) }
        }
        if let code = context.exchange.error?.code { metadata["error"] = .string(code) }
        if !complete { metadata["incomplete"] = "true" }
        let milliseconds = Int(duration / .milliseconds(1))
        context.logger.info("\(line) \(status) \(milliseconds) ms", metadata: metadata)
    }
}

/// Bytes counted as they pass, from whichever task moves them.
final class ByteTally: Sendable {
    private let count = NIOLockedValueBox(0)

    var total: Int { count.withLockedValue { $0 } }

    func add(_ bytes: Int) {
        count.withLockedValue { $0 += bytes }
    }
}
