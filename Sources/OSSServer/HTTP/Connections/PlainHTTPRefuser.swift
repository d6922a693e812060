import Foundation
import NIOCore
import OSSProtocol

/// Answers a plain-HTTP request sent to the HTTPS listener with a readable 400, instead of the
/// bare connection reset a TLS handshake on non-TLS bytes would give: someone who wrote
/// `http://` where the server speaks `https://` is told so.
///
/// It sits in front of the TLS handler and looks at the first byte only: a TLS connection opens
/// with a handshake record (type 22), and the refuser leaves. Anything else is not TLS: it
/// answers, and swallows what else arrives until the connection closes, so that the TLS handler
/// never sees it (and never resets the connection before the answer is read).
final class PlainHTTPRefuser: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// The first byte of every TLS connection: a handshake record.
    private static let handshakeRecord: UInt8 = 22

    private var refused = false

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !refused else { return }
        let bytes = unwrapInboundIn(data)
        guard let first = bytes.getInteger(at: bytes.readerIndex, as: UInt8.self) else {
            context.fireChannelRead(data)
            return
        }
        let operations = context.pipeline.syncOperations
        guard first != Self.handshakeRecord else {
            context.fireChannelRead(data)
            operations.removeHandler(context: context, promise: nil)
            return
        }
        let requestID = OSSRequestID.make(now: Date())
        let body = OSSError.invalidRequest("This port speaks HTTPS: send the request to an https:// endpoint.")
            .xml(requestID: requestID, hostID: "swift-oss")
        let answer = [
            "HTTP/1.1 400 Bad Request",
            "Content-Type: application/xml",
            "Content-Length: \(body.utf8.count)",
            "Connection: close",
            "x-oss-request-id: \(requestID)",
            "Server: AliyunOSS",
            "", body,
        ].joined(separator: "\r\n")
        refused = true
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: answer))).whenComplete { _ in channel.closeAfterAnswer() }
    }
}
