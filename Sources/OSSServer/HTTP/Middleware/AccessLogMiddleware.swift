import Foundation
import Hummingbird
import OSSProtocol

/// Adds a line to the access log of the bucket a request addressed, when the bucket has logging
/// on (PutBucketLogging): every request, refused ones included, as OSS logs them. The lines are
/// written into the target bucket by ``AccessLogService``.
struct AccessLogMiddleware: RouterMiddleware {
    typealias Context = OSSRequestContext

    let storage: ObjectStorage
    let log: AccessLog

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        let started = ContinuousClock.now
        let time = Date()
        let response = try await next(request, context)
        guard let target = context.exchange.target, let bucket = target.bucket,
            let document = try? await storage.bucketDocumentIfAny(bucket, .logging),
            let status = try? OSSBucketLoggingStatus(parsing: Array(document.utf8)), let targetBucket = status.targetBucket
        else { return response }
        let path = request.head.path.map { $0.split(separator: "?", maxSplits: 1).first.map(String.init) ?? $0 } ?? "/"
        let principal = context.exchange.signer?.principal
        log.record(
            bucket: bucket, target: targetBucket, prefix: status.targetPrefix,
            line: AccessLog.line(
                remoteIP: context.channel.remoteAddress?.ipAddress ?? "-", time: time, method: request.method.rawValue,
                target: path, status: Int(response.status.code), sentBytes: response.headers[.contentLength].flatMap { Int($0) },
                milliseconds: Int((ContinuousClock.now - started) / .milliseconds(1)), referer: request.headers[.referer],
                userAgent: request.headers[.userAgent], host: request.head.authority, requestID: context.requestID,
                principal: principal?.userID,
                operation: context.exchange.operation.map { Self.name($0) }, bucket: bucket, key: target.key,
                accessKeyID: principal?.accessKeyID))
        return response
    }

    /// `GetObject` for `.getObject`: the operation as OSS names it in logs.
    static func name(_ operation: OSSOperation) -> String {
        let raw = operation.rawValue
        return raw.prefix(1).uppercased() + raw.dropFirst()
    }
}
