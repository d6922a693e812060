import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOHTTP1
import OSSProtocol

/// The server's single responder: parse the target, authenticate, hand over to the operations,
/// and render errors.
///
/// OSS addresses everything by path and sub-resource query parameters (`?uploads`,
/// `?uploadId=…&partNumber=…`), which a path router cannot express, so routing is one switch
/// here and the handlers live in ``OSSHandlers``.
struct OSSResponder: HTTPResponder {
    typealias Context = OSSRequestContext

    let handlers: OSSHandlers
    let verifier: OSSRequestVerifier
    let serviceHosts: [String]
    /// Custom domains bound to a bucket, lowercased host → bucket.
    let cnames: [String: String]

    func respond(to request: Request, context: Context) async throws -> Response {
        let started = ContinuousClock.now
        let response = await respondOrRenderError(to: request, context: context)
        // One line per request; the path only, since a presigned query carries a signature.
        let path = request.head.path.map { $0.split(separator: "?", maxSplits: 1).first.map(String.init) ?? $0 } ?? "/"
        let milliseconds = (ContinuousClock.now - started) / .milliseconds(1)
        context.logger.info("\(request.method) \(path) \(response.status.code) \(Int(milliseconds)) ms")
        return response
    }

    func respondOrRenderError(to request: Request, context: Context) async -> Response {
        let isHead = request.method == .head
        var bucketForErrors: String?
        var response: Response
        do {
            let target = try OSSRequestTarget(
                parsing: request.head.path ?? "/",
                host: request.head.authority,
                serviceHosts: serviceHosts,
                cnames: cnames
            )
            bucketForErrors = target.bucket
            let ossRequest = OSSRequest(
                method: request.method.rawValue,
                bucket: target.bucket,
                key: target.key,
                query: target.query,
                headers: request.headers.map { (name: $0.name.rawName, value: $0.value) }
            )
            // Anonymous requests pass here; the operations decide once they know the ACLs (§2.7).
            let now = Date()
            let authentication = try OSSRequestAuthentication(request: ossRequest)
            let principal = try verifier.verify(
                ossRequest, authentication: authentication,
                secret: authentication.accessKeyID.flatMap(handlers.secret(for:)), now: now)
            if let principal {
                try handlers.keys.checkSecurityToken(
                    authentication.securityToken(of: ossRequest), accessKeyID: principal, now: now)
            }
            let call = OSSCall(request: request, oss: ossRequest, context: context, principal: principal)
            response = try await handlers.handle(call)
        } catch {
            let ossError = Self.ossError(for: error, logger: context.logger)
            context.logger.debug("\(ossError.code): \(ossError.message)")
            response = Self.errorResponse(
                ossError, requestID: context.requestID, hostID: hostID(bucket: bucketForErrors, request: request),
                isHead: isHead)
        }
        stamp(&response, context: context)
        if let bucket = bucketForErrors { await addCORSHeaders(to: &response, bucket: bucket, for: request) }
        return response
    }

    /// A cross-origin request (one with `Origin`, other than a preflight, which answers for
    /// itself) gets the `Access-Control-*` headers of the bucket's first matching CORS rule, on
    /// success and on error alike, so that the page can read either.
    func addCORSHeaders(to response: inout Response, bucket: String, for request: Request) async {
        guard let origin = request.headers[.origin], request.method != .options else { return }
        for field in await handlers.corsHeaders(bucket: bucket, origin: origin, method: request.method.rawValue) {
            response.headers[field.name] = field.value
        }
    }

    /// The headers every OSS response carries; v2 fails to parse any response without `Date`.
    func stamp(_ response: inout Response, context: Context) {
        Self.stamp(&response.headers, requestID: context.requestID)
    }

    /// `Date`, `x-oss-request-id` and `Server`, also for answers written below the responder.
    static func stamp(_ headers: inout HTTPFields, requestID: String) {
        headers[.date] = OSSDateFormat.httpDate(Date())
        headers[.ossRequestID] = requestID
        headers[.server] = "AliyunOSS"
    }

    func hostID(bucket: String?, request: Request) -> String {
        let host = request.head.authority ?? "127.0.0.1"
        return bucket.map { "\($0).\(host)" } ?? host
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
    static func ossError(for error: any Error, logger: Logger) -> OSSError {
        if let error = error as? OSSError { return error }
        if let error = error as? StorageError {
            let answer = error.ossError
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
