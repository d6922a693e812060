import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import OSSProtocol

/// S3's errors: S3's XML error document (no body on HEAD), and S3's common headers
/// (`x-amz-request-id`, `x-amz-id-2`).
///
/// Errors come from the same operations as OSS's, so most codes are already S3's; the few that
/// differ are renamed (``s3Error(_:)``).
struct S3ErrorDialect: ErrorDialect {
    func translate(_ error: OSSError) -> OSSError { Self.s3Error(error) }

    func response(for error: OSSError, to request: Request, context: OSSRequestContext) -> Response {
        Self.errorResponse(error, requestID: context.requestID, resource: request.head.path ?? "/", isHead: request.method == .head)
    }

    func stamp(_ headers: inout HTTPFields, requestID: String) {
        Self.stamp(&headers, requestID: requestID)
    }

    static func stamp(_ headers: inout HTTPFields, requestID: String) {
        headers[.date] = OSSDateFormat.httpDate(Date())
        headers[.amzRequestID] = requestID
        headers[.amzID2] = requestID
        headers[.server] = "swift-oss"
    }

    static func errorResponse(_ error: OSSError, requestID: String, resource: String, isHead: Bool) -> Response {
        let status = HTTPResponse.Status(code: error.status)
        var headers = HTTPFields()
        for header in error.headers {
            if let name = HTTPField.Name(header.name) { headers[name] = header.value }
        }
        if error.status == 304 || isHead {
            headers[.contentLength] = "0"
            return Response(status: status, headers: headers)
        }
        var writer = OSSXMLWriter()
        writer.element("Error") { writer in
            writer.element("Code", error.code)
            writer.element("Message", OSSXMLWriter.replacingUnrepresentable(error.message))
            for detail in error.details {
                writer.element(detail.name, OSSXMLWriter.replacingUnrepresentable(detail.value))
            }
            writer.element("Resource", OSSXMLWriter.replacingUnrepresentable(String(resource.prefix { $0 != "?" })))
            writer.element("RequestId", requestID)
        }
        let body = ByteBuffer(string: writer.output)
        headers[.contentType] = "application/xml"
        headers[.contentLength] = String(body.readableBytes)
        return Response(status: status, headers: headers, body: .init(byteBuffer: body))
    }

    /// An error of the shared operations as S3 names it: OSS's `InvalidDigest` for a body that
    /// does not match its Content-MD5 or CRC-64 is S3's `BadDigest`; OSS's error codes (`EC`)
    /// are left out.
    static func s3Error(_ error: OSSError) -> OSSError {
        var error = error
        error.details.removeAll { $0.name == "EC" }
        if error.code == "InvalidDigest", error.message.contains("did not match") {
            error.code = "BadDigest"
        }
        return error
    }
}

extension HTTPField.Name {
    static let amzRequestID = Self("x-amz-request-id")!
    static let amzID2 = Self("x-amz-id-2")!
}
