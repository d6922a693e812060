import Foundation
import HTTPTypes
import Hummingbird
import Logging
import OSSProtocol

/// The per-request context: Hummingbird's core storage plus the OSS request id, which every
/// response carries and every log line of the request names.
struct OSSRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    /// The `x-oss-request-id` of this request (see ``OSSRequestID``).
    let requestID: String

    init(source: ApplicationRequestContextSource) {
        requestID = OSSRequestID.make(now: Date())
        var logger = source.logger
        logger[metadataKey: "request-id"] = .string(requestID)
        coreContext = .init(source: ApplicationRequestContextSource(channel: source.channel, logger: logger))
    }

    /// Object bodies are streamed by the handlers; nothing is collected through this limit.
    var maxUploadSize: Int { 1 << 20 }
}
