import Foundation

/// The ListObjectVersions response (`GET /bkt/?versions`) of a server without versioning: every
/// object is its only version, `VersionId` `null` and latest, as OSS lists an unversioned bucket;
/// there are no delete markers.
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
    /// Whether more entries follow.
    public var isTruncated: Bool
    /// The `key-marker` of the next page, when truncated.
    public var nextKeyMarker: String?
    /// The `version-id-marker` of the next page (`null`), when truncated.
    public var nextVersionIDMarker: String?
    /// The objects, each as its `null` version.
    public var versions: [OSSObjectSummary]
    /// Rolled-up prefixes (with a delimiter).
    public var commonPrefixes: [String]

    /// Creates a result.
    public init(
        name: String, prefix: String = "", keyMarker: String = "", versionIDMarker: String = "", maxKeys: Int = 100,
        delimiter: String = "", encodingType: String? = nil, isTruncated: Bool = false, nextKeyMarker: String? = nil,
        nextVersionIDMarker: String? = nil, versions: [OSSObjectSummary] = [], commonPrefixes: [String] = []
    ) {
        self.name = name
        self.prefix = prefix
        self.keyMarker = keyMarker
        self.versionIDMarker = versionIDMarker
        self.maxKeys = maxKeys
        self.delimiter = delimiter
        self.encodingType = encodingType
        self.isTruncated = isTruncated
        self.nextKeyMarker = nextKeyMarker
        self.nextVersionIDMarker = nextVersionIDMarker
        self.versions = versions
        self.commonPrefixes = commonPrefixes
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
            writer.element("IsTruncated", isTruncated)
            writer.element("NextKeyMarker", ifPresent: nextKeyMarker.map(encoding.encode))
            writer.element("NextVersionIdMarker", ifPresent: nextVersionIDMarker)
            for version in versions {
                version.write(to: &writer, encoding: encoding, asNullVersion: true)
            }
            writer.commonPrefixes(commonPrefixes, encoding: encoding)
        }
        return writer.output
    }

    /// Reads a response body.
    /// - Throws: `MalformedXML` for another root or a missing element oss2 requires.
    public init(parsing body: some DataProtocol) throws(OSSError) {
        let root = try XMLNode.parse(body, root: "ListVersionsResult")
        let encodingType = root.text("EncodingType")
        let encoding = URLEncodingRule(encodingType)
        guard let isTruncated = try root.bool("IsTruncated") else {
            throw .malformedXML("<ListVersionsResult> lacks <IsTruncated>.")
        }
        var versions: [OSSObjectSummary] = []
        for node in root.children("Version") {
            versions.append(try OSSObjectSummary(node: node, encoding: encoding))
        }
        self.init(
            name: try root.requiredText("Name"), prefix: try encoding.decode(root.requiredText("Prefix")),
            keyMarker: try encoding.decode(root.requiredText("KeyMarker")),
            versionIDMarker: try root.requiredText("VersionIdMarker"), maxKeys: try root.requiredInt("MaxKeys"),
            delimiter: try encoding.decode(root.requiredText("Delimiter")), encodingType: encodingType,
            isTruncated: isTruncated, nextKeyMarker: try encoding.decode(root.text("NextKeyMarker")),
            nextVersionIDMarker: root.text("NextVersionIdMarker"), versions: versions,
            commonPrefixes: try root.commonPrefixes(encoding))
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
