import HTTPTypes
import NIOCore
import NIOHTTPTypes

/// Ends a connection whose request was answered while its body was still arriving.
///
/// Two cases meet here. A refusal (403 to an unauthenticated 1 GB PUT, say): without this, the
/// server would read and discard the rest of the body to keep the connection, for as long as the
/// client cares to trickle it. And an answer that never reads the body (a GET that declares a
/// `Content-Length` it never sends, as oss2 can): keeping the connection would take the client's
/// next request for the missing body bytes. Either answer instead carries `Connection: close`;
/// the rest of the body is still read and discarded for a short while (up to ``discardLimit``
/// bytes and ``lingering``), so that a client that keeps sending can finish and read the answer
/// instead of meeting a reset, and then the connection closes.
///
/// It also answers a request that asked for `Connection: close` (or had it added by
/// ``ChunkedLengthReconciler``) with `Connection: close`, as RFC 9112 §9.6 asks of the response
/// before the connection ends.
final class UnreadBodyCloser: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    /// The most body bytes read and discarded after an early answer before the connection closes.
    static let discardLimit = 8 << 20
    /// How long a connection answered early stays open for the client to read the answer.
    static let lingering = TimeAmount.seconds(5)

    private enum State {
        /// Answers follow requests that were read whole.
        case open
        /// An answer is being written before its request's body ended.
        case answeringEarly
        /// That answer has left; the rest of the body is being discarded.
        case discarding(remaining: Int)
        case closed
    }

    private var state = State.open
    /// Requests whose end has been read. Requests may be pipelined (Hummingbird does not hold the
    /// next one back), so an answer is early when its own request, not the latest, is unfinished.
    private var requestsEnded = 0
    /// Final answers (status 200 and up) begun; informational ones (`100 Continue`) do not count.
    private var answersBegun = 0
    /// A request asked to end the connection: its answer, the last, says so too.
    private var closeRequested = false

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
            // The whole request has been read: nothing unread can reset the connection.
            close(context)
            return
        case (.discarding, .head):
            close(context)
            return
        case (_, .end):
            requestsEnded += 1
        case (_, .head(let request)):
            if let connection = request.headerFields[.connection], connection.lowercased().contains("close") {
                closeRequested = true
            }
        default:
            break
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch (state, unwrapOutboundIn(data)) {
        case (.open, .head(var response)) where response.status.code >= 200:
            answersBegun += 1
            guard requestsEnded < answersBegun else {
                if closeRequested { response.headerFields[.connection] = "close" }
                context.write(wrapOutboundOut(.head(response)), promise: promise)
                return
            }
            state = .answeringEarly
            response.headerFields[.connection] = "close"
            context.write(wrapOutboundOut(.head(response)), promise: promise)
        case (.answeringEarly, .end):
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
        eventLoop.scheduleTask(in: UnreadBodyCloser.lingering) { self.close(promise: nil) }
    }
}
