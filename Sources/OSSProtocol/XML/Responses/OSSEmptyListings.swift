import Foundation

/// The ListObjectVersions response (`GET /bkt/?versions`) of a server without versioning: the
/// bucket's listing header and no `Version` entries.
///
/// oss2 requires `IsTruncated`, `Name`, `Prefix`, `KeyMarker`, `VersionIdMarker`, `MaxKeys` and
/// `Delimiter`; v2 checks the root `ListVersionsResult`.
public struct OSSListVersionsResult: Sendable, Hashable {
    /// The bucket.
    public var name: String
    /// `prefix`, echoed.
    public var prefix: String
    /// `key-marker`, echoed.
    public var keyMarker: String
    /// `version-id-marker`, echoed.
    public var versionIDMarker: String
    /// `max-keys`, echoed (default 100).
    public var maxKeys: Int
    /// `delimiter`, echoed.
    public var delimiter: String
    /// `url` or `nil`.
    public var encodingType: String?

    /// Creates an empty result.
    public init(
        name: String, prefix: String = "", keyMarker: String = "", versionIDMarker: String = "", maxKeys: Int = 100,
        delimiter: String = "", encodingType: String? = nil
    ) {
        self.name = name
        self.prefix = prefix
        self.keyMarker = keyMarker
        self.versionIDMarker = versionIDMarker
        self.maxKeys = maxKeys
        self.delimiter = delimiter
        self.encodingType = encodingType
    }

    /// The response body.
    public var xml: String {
        let encoding = URLEncodingRule(encodingType)
        var writer = OSSXMLWriter()
        writer.element("ListVersionsResult") { writer in
            writer.element("Name", name)
            writer.element("Prefix", encoding.encode(prefix))
            writer.element("KeyMarker", encoding.encode(keyMarker))
            writer.element("VersionIdMarker", versionIDMarker)
            writer.element("MaxKeys", maxKeys)
            writer.element("Delimiter", encoding.encode(delimiter))
            writer.element("EncodingType", ifPresent: encodingType)
            writer.element("IsTruncated", false)
        }
        return writer.output
    }

    /// Reads a response body.
    /// - Throws: `MalformedXML` for another root or a missing element oss2 requires.
    public init(parsing body: some DataProtocol) throws(OSSError) {
        let root = try XMLNode.parse(body, root: "ListVersionsResult")
        let encodingType = root.text("EncodingType")
        let encoding = URLEncodingRule(encodingType)
        guard try root.bool("IsTruncated") != nil else { throw .malformedXML("<ListVersionsResult> lacks <IsTruncated>.") }
        self.init(
            name: try root.requiredText("Name"), prefix: try encoding.decode(root.requiredText("Prefix")),
            keyMarker: try encoding.decode(root.requiredText("KeyMarker")),
            versionIDMarker: try root.requiredText("VersionIdMarker"), maxKeys: try root.requiredInt("MaxKeys"),
            delimiter: try encoding.decode(root.requiredText("Delimiter")), encodingType: encodingType)
    }
}

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
