import HummingbirdCore
import Logging
import NIOCore
import NIOSSL

/// An HTTP channel behind TLS whose certificate can change while the server runs: each accepted
/// connection is set up with the context ``ServerCertificate`` holds at that moment.
///
/// HummingbirdTLS fixes its context when the server starts, which would make a renewed
/// certificate wait for a restart (and drop every connection); this is its set-up with the
/// context looked up per connection.
struct TLSServerChannel<Base: ServerChildChannel>: ServerChildChannel {
    typealias Value = Base.Value

    let base: Base
    let certificate: ServerCertificate

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        channel.eventLoop.makeCompletedFuture {
            try channel.pipeline.syncOperations.addHandlers(
                PlainHTTPRefuser(), NIOSSLServerHandler(context: certificate.context))
        }.flatMap {
            base.setup(channel: channel, logger: logger)
        }
    }

    func handle(value: Base.Value, logger: Logger) async {
        await base.handle(value: value, logger: logger)
    }
}

extension TLSServerChannel: HTTPChannelHandler where Base: HTTPChannelHandler {
    var responder: HTTPChannelHandler.Responder { base.responder }
}
