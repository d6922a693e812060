import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOHTTP1
import OSSProtocol

/// Renders every error thrown below it as the OSS XML error body (or `x-oss-err` on HEAD), and
/// stamps every answer with the headers all OSS responses carry.
struct OSSErrorMiddleware: RouterMiddleware {
    typealias Context = OSSRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        var response: Response
        do {
            response = try await next(request, context)
        } catch {
            let ossError = Self.ossError(for: error, method: request.method.rawValue, logger: context.logger)
            context.logger.debug("\(ossError.code): \(ossError.message)")
            context.exchange.error = ossError
            let host = request.head.authority ?? "127.0.0.1"
            // `bucket.host` for path-style requests; a virtual-hosted Host already names the bucket.
            let target = context.exchange.target
            let hostID = target?.isVirtualHosted == true ? host : target?.bucket.map { "\($0).\(host)" } ?? host
            response = Self.errorResponse(
                ossError, requestID: context.requestID, hostID: hostID, isHead: request.method == .head)
        }
        Self.stamp(&response.headers, requestID: context.requestID)
        return response
    }

    /// `Date`, `x-oss-request-id` and `Server`: what every OSS response carries (v2 fails to parse
    /// any response without `Date`), also for answers written below the middleware.
    static func stamp(_ headers: inout HTTPFields, requestID: String) {
        headers[.date] = OSSDateFormat.httpDate(Date())
        headers[.ossRequestID] = requestID
        headers[.server] = "AliyunOSS"
    }

    static func errorResponse(_ error: OSSError, requestID: String, hostID: String, isHead: Bool) -> Response {
        let status = HTTPResponse.Status(code: error.status)
        var headers = HTTPFields()
        for header in error.headers {
            if let name = HTTPField.Name(header.name) { headers[name] = header.value }
        }
        // v2 falls back to this header when a body has no EC (HEAD errors, unparsable bodies).
        if let ec = error.detail("EC") { headers[.ossEC] = ec }
        // 304 carries neither body nor error header.
        if error.status == 304 { return Response(status: status, headers: headers) }
        if isHead {
            headers[.ossError] = error.base64XML(requestID: requestID, hostID: hostID)
            headers[.contentLength] = "0"
            return Response(status: status, headers: headers)
        }
        let body = ByteBuffer(string: error.xml(requestID: requestID, hostID: hostID))
        headers[.contentType] = "application/xml"
        headers[.contentLength] = String(body.readableBytes)
        return Response(status: status, headers: headers, body: .init(byteBuffer: body))
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
