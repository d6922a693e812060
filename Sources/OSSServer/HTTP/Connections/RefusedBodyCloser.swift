import HTTPTypes
import NIOCore
import NIOHTTPTypes

/// Ends a connection whose request was refused while its body was still arriving.
///
/// Without it, the server answers (403 to an unauthenticated 1 GB PUT, say) and then reads and
/// discards the rest of the body to keep the connection for the next request, for as long as
/// the client cares to trickle it. The refusal instead carries `Connection: close`; the rest of
/// the body is still read and discarded for a short while (up to ``discardLimit`` bytes and
/// ``lingering``), so that a client that keeps sending can finish and read the answer
/// instead of meeting a reset, and then the connection closes.
final class RefusedBodyCloser: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    /// The most body bytes read and discarded after a refusal before the connection closes.
    static let discardLimit = 8 << 20
    /// How long a refused connection stays open for the client to read the answer.
    static let lingering = TimeAmount.seconds(5)

    private enum State {
        case idle
        /// Between a request's head and its end.
        case receivingBody
        /// A refusal is being written while the body still comes.
        case refusing
        /// The refusal has left; the rest of the body is being discarded.
        case discarding(remaining: Int)
        case closed
    }

    private var state = State.idle

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let part = unwrapInboundIn(data)
        switch (state, part) {
        case (.closed, _):
            return
        case (.discarding(let remaining), .body(let bytes)):
            let left = remaining - bytes.readableBytes
            if left < 0 {
                close(context)
                return
            }
            state = .discarding(remaining: left)
        case (.discarding, .end):
            // The whole refused request has been read: nothing unread can reset the connection.
            close(context)
            return
        case (.discarding, .head):
            close(context)
            return
        case (_, .head):
            state = .receivingBody
        case (.refusing, .end):
            break
        case (_, .end):
            state = .idle
        default:
            break
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch (state, unwrapOutboundIn(data)) {
        case (.receivingBody, .head(var response)) where response.status.code >= 400:
            state = .refusing
            response.headerFields[.connection] = "close"
            context.write(wrapOutboundOut(.head(response)), promise: promise)
        case (.refusing, .end):
            context.writeAndFlush(data, promise: promise)
            state = .discarding(remaining: Self.discardLimit)
            let channel = context.channel
            context.eventLoop.scheduleTask(in: Self.lingering) { channel.close(promise: nil) }
        default:
            context.write(data, promise: promise)
        }
    }

    private func close(_ context: ChannelHandlerContext) {
        state = .closed
        context.channel.closeAfterAnswer()
    }
}

extension Channel {
    /// Ends a connection whose last answer has been written, without losing that answer.
    ///
    /// Closing outright with request bytes still unread would reset the connection, and the
    /// client could lose the answer; so only the output ends, and the connection closes when the
    /// client closes or a few seconds later.
    func closeAfterAnswer() {
        close(mode: .output, promise: nil)
        eventLoop.scheduleTask(in: RefusedBodyCloser.lingering) { self.close(promise: nil) }
    }
}
