import Foundation
import HTTPTypes
import NIOHTTPTypes
import NIOCore
import NIOHTTP1
import OSSProtocol

/// Answers a request the HTTP parser refused (more than 1000 header fields, more than 80 KiB of
/// headers, broken syntax) with an OSS XML error, where HummingbirdCore would send an empty 400
/// that no SDK can explain.
///
/// It sits between the HTTP codec and the request handling. It only answers when no response is
/// in progress on the connection; otherwise the error goes on to Hummingbird, whose answer cannot
/// interleave with a response being written.
final class ParserErrorResponder: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    /// Requests received whose response has not ended yet.
    private var unanswered = 0

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .head = unwrapInboundIn(data) { unanswered += 1 }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) { unanswered = max(0, unanswered - 1) }
        context.write(data, promise: promise)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard let parserError = error as? HTTPParserError, unanswered == 0 else {
            context.fireErrorCaught(error)
            return
        }
        let ossError: OSSError =
            if case .headerOverflow = parserError {
                .invalidRequest("The request's headers are too large: at most 1000 fields and 80 KiB in all.")
            } else {
                .invalidRequest("The request is not valid HTTP/1.1 (\(parserError)).")
            }
        let requestID = OSSRequestID.make(now: Date())
        let body = ByteBuffer(string: ossError.xml(requestID: requestID, hostID: "swift-oss"))
        var headers = HTTPFields()
        headers[.contentType] = "application/xml"
        headers[.contentLength] = String(body.readableBytes)
        headers[.connection] = "close"
        OSSErrorDialect.stamp(&headers, requestID: requestID)
        context.write(wrapOutboundOut(.head(HTTPResponse(status: .init(code: ossError.status), headerFields: headers))), promise: nil)
        context.write(wrapOutboundOut(.body(body)), promise: nil)
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in channel.closeAfterAnswer() }
    }
}
