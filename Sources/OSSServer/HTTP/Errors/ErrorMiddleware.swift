import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOHTTP1
import OSSProtocol

/// How a protocol front end writes an error and the headers all its answers carry: OSS's
/// (``OSSErrorDialect``) or S3's (``S3ErrorDialect``).
protocol ErrorDialect: Sendable {
    /// The error as this protocol names it (the shared operations throw OSS's names).
    func translate(_ error: OSSError) -> OSSError
    /// The answer carrying `error`.
    func response(for error: OSSError, to request: Request, context: OSSRequestContext) -> Response
    /// Adds what every answer carries (`Date`, the request id, `Server`).
    func stamp(_ headers: inout HTTPFields, requestID: String)
}

/// Renders every error thrown below it in its protocol's form (``ErrorDialect``) and stamps every
/// answer with the protocol's common headers; the error is handed outward (``OSSRequestContext/Exchange/error``)
/// for the request record.
///
/// Unexpected errors and storage failures answered with a 5xx are logged once at error level
/// with their cause (``ossError(for:method:logger:)``).
struct ErrorMiddleware<Dialect: ErrorDialect>: RouterMiddleware {
    typealias Context = OSSRequestContext

    let dialect: Dialect

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        var response: Response
        do {
            response = try await next(request, context)
        } catch {
            let answer = dialect.translate(Self.ossError(for: error, method: request.method.rawValue, logger: context.logger))
            context.logger.debug("\(answer.code): \(answer.message)")
            context.exchange.error = answer
            response = dialect.response(for: answer, to: request, context: context)
        }
        dialect.stamp(&response.headers, requestID: context.requestID)
        return response
    }

    /// Maps any error to the OSS error a client should see; unexpected ones and every storage
    /// failure answered with a 5xx (I/O errors, a full disk, damaged data) are logged once at
    /// error level with their cause (the logger carries the request id), and become
    /// `InternalError` (v2 retries 5xx).
    static func ossError(for error: any Error, method: String = "GET", logger: Logger) -> OSSError {
        if let error = error as? OSSError { return error }
        if let error = error as? StorageError {
            let answer = error.ossError(method: method)
            if answer.status >= 500 { logger.error("\(answer.code): \(error)") }
            return answer
        }
        if error is HTTPParserError {
            // The client closed the connection or sent a broken body; nothing was stored.
            logger.info("request body ended early: \(error)")
            return OSSError(
                code: "IncompleteBody", status: 400,
                message: "The request body ended before its declared length; nothing was stored.")
        }
        logger.error("internal error: \(String(reflecting: error))")
        return .internalError()
    }
}
