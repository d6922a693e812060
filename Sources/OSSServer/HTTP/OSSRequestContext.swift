import HTTPTypes
import Hummingbird
import Logging

/// The per-request context: Hummingbird's core storage plus the OSS request id, which every
/// response carries and every log line of the request names.
struct OSSRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    /// 24 upper-case hexadecimal characters, like OSS's `x-oss-request-id`.
    let requestID: String

    init(source: ApplicationRequestContextSource) {
        requestID = Self.makeRequestID()
        var logger = source.logger
        logger[metadataKey: "request-id"] = .string(requestID)
        coreContext = .init(source: ApplicationRequestContextSource(channel: source.channel, logger: logger))
    }

    /// Object bodies are streamed by the handlers; nothing is collected through this limit.
    var maxUploadSize: Int { 1 << 20 }

    static func makeRequestID() -> String {
        let digits = Array("0123456789ABCDEF")
        var generator = SystemRandomNumberGenerator()
        return String((0..<24).map { _ in digits[Int(generator.next() & 15)] })
    }
}
