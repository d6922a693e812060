import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import OSSProtocol

/// OSS's errors: the XML error body (or `x-oss-err` on HEAD), and the headers all OSS responses carry.
struct OSSErrorDialect: ErrorDialect {
    func translate(_ error: OSSError) -> OSSError { error }

    func response(for error: OSSError, to request: Request, context: OSSRequestContext) -> Response {
        let host = request.head.authority ?? "127.0.0.1"
        // `bucket.host` for path-style requests; a virtual-hosted Host already names the bucket.
        let target = context.exchange.target
        let hostID = target?.isVirtualHosted == true ? host : target?.bucket.map { "\($0).\(host)" } ?? host
        return Self.errorResponse(error, requestID: context.requestID, hostID: hostID, isHead: request.method == .head)
    }

    func stamp(_ headers: inout HTTPFields, requestID: String) {
        Self.stamp(&headers, requestID: requestID)
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
}
