import Foundation

/// The ListLiveChannel response (`GET /bkt/?live`) of a server without live channels: the listing
/// header oss2 requires (`Prefix`, `Marker`, `MaxKeys`, `IsTruncated`) and no `LiveChannel`.
public struct OSSListLiveChannelResult: Sendable, Hashable {
    /// `prefix`, echoed.
    public var prefix: String
    /// `marker`, echoed.
    public var marker: String
    /// `max-keys`, echoed (default 100).
    public var maxKeys: Int

    /// Creates an empty result.
    public init(prefix: String = "", marker: String = "", maxKeys: Int = 100) {
        self.prefix = prefix
        self.marker = marker
        self.maxKeys = maxKeys
    }

    /// The response body.
    public var xml: String {
        var writer = OSSXMLWriter()
        writer.element("ListLiveChannelResult") { writer in
            writer.element("Prefix", prefix)
            writer.element("Marker", marker)
            writer.element("MaxKeys", maxKeys)
            writer.element("IsTruncated", false)
        }
        return writer.output
    }

    /// Reads a response body.
    /// - Throws: `MalformedXML` for another root or a missing element.
    public init(parsing body: some DataProtocol) throws(OSSError) {
        let root = try XMLNode.parse(body, root: "ListLiveChannelResult")
        guard try root.bool("IsTruncated") != nil else {
            throw .malformedXML("<ListLiveChannelResult> lacks <IsTruncated>.")
        }
        self.init(
            prefix: try root.requiredText("Prefix"), marker: try root.requiredText("Marker"),
            maxKeys: try root.requiredInt("MaxKeys"))
    }
}
