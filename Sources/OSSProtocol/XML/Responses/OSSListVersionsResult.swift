import Foundation

/// The ListObjectVersions response (`GET /bkt/?versions`): every version and delete marker of
/// the keys listed, by key, newest first within a key, a `Version` or `DeleteMarker` element each
/// in that one order; then the common prefixes.
///
/// oss2 requires `IsTruncated`, `Name`, `Prefix`, `KeyMarker`, `VersionIdMarker`, `MaxKeys` and
/// `Delimiter` (empty ones too), and `Owner` in every entry; v2 checks the root. The next markers
/// are sent only when truncated, as OSS does.
public struct OSSListVersionsResult: Sendable, Hashable {
    /// One delete marker: a version with no content that hides the older ones.
    public struct DeleteMarker: Sendable, Hashable {
        public var key: String
        public var versionID: String
        public var isLatest: Bool
        public var lastModified: Date
        public var owner: OSSOwner

        /// Creates an entry.
        public init(key: String, versionID: String, isLatest: Bool, lastModified: Date, owner: OSSOwner) {
            self.key = key
            self.versionID = versionID
            self.isLatest = isLatest
            self.lastModified = lastModified
            self.owner = owner
        }
    }

    /// A `Version` or a `DeleteMarker`, in listing order.
    public enum Entry: Sendable, Hashable {
        /// A version with content; its `versionID` and `isLatest` are set.
        case version(OSSObjectSummary)
        case deleteMarker(DeleteMarker)

        /// The key the entry is a version of.
        public var key: String {
            switch self {
            case .version(let object): object.key
            case .deleteMarker(let marker): marker.key
            }
        }
    }

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
    /// The `version-id-marker` of the next page, when truncated after a version.
    public var nextVersionIDMarker: String?
    /// The versions and delete markers, in listing order.
    public var entries: [Entry]
    /// Rolled-up prefixes (with a delimiter).
    public var commonPrefixes: [String]

    /// The entries that are versions with content.
    public var versions: [OSSObjectSummary] {
        entries.compactMap { if case .version(let object) = $0 { object } else { nil } }
    }

    /// The entries that are delete markers.
    public var deleteMarkers: [DeleteMarker] {
        entries.compactMap { if case .deleteMarker(let marker) = $0 { marker } else { nil } }
    }

    /// Creates a result.
    public init(
        name: String, prefix: String = "", keyMarker: String = "", versionIDMarker: String = "", maxKeys: Int = 100,
        delimiter: String = "", encodingType: String? = nil, isTruncated: Bool = false, nextKeyMarker: String? = nil,
        nextVersionIDMarker: String? = nil, entries: [Entry] = [], commonPrefixes: [String] = []
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
        self.entries = entries
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
            writer.element("VersionIdMarker", encoding.encode(versionIDMarker))
            writer.element("MaxKeys", maxKeys)
            writer.element("Delimiter", encoding.encode(delimiter))
            writer.element("EncodingType", ifPresent: encodingType)
            writer.element("IsTruncated", isTruncated)
            writer.element("NextKeyMarker", ifPresent: nextKeyMarker.map(encoding.encode))
            writer.element("NextVersionIdMarker", ifPresent: nextVersionIDMarker.map(encoding.encode))
            for entry in entries {
                switch entry {
                case .version(let object):
                    object.write(to: &writer, encoding: encoding, asVersion: true)
                case .deleteMarker(let marker):
                    writer.element("DeleteMarker") { writer in
                        writer.element("Key", encoding.encode(marker.key))
                        writer.element("VersionId", marker.versionID)
                        writer.element("IsLatest", marker.isLatest)
                        writer.element("LastModified", OSSDateFormat.iso8601(marker.lastModified))
                        marker.owner.write(to: &writer)
                    }
                }
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
        var entries: [Entry] = []
        for node in root.children where node.name == "Version" || node.name == "DeleteMarker" {
            if node.name == "Version" {
                entries.append(.version(try OSSObjectSummary(node: node, encoding: encoding)))
            } else {
                guard let owner = node.child("Owner") else { throw .malformedXML("<DeleteMarker> lacks <Owner>.") }
                entries.append(
                    .deleteMarker(
                        DeleteMarker(
                            key: try encoding.decode(node.requiredText("Key")), versionID: try node.requiredText("VersionId"),
                            isLatest: try node.bool("IsLatest") ?? false, lastModified: try node.requiredDate("LastModified"),
                            owner: try OSSOwner(node: owner))))
            }
        }
        self.init(
            name: try root.requiredText("Name"), prefix: try encoding.decode(root.requiredText("Prefix")),
            keyMarker: try encoding.decode(root.requiredText("KeyMarker")),
            versionIDMarker: try encoding.decode(root.requiredText("VersionIdMarker")), maxKeys: try root.requiredInt("MaxKeys"),
            delimiter: try encoding.decode(root.requiredText("Delimiter")), encodingType: encodingType,
            isTruncated: isTruncated, nextKeyMarker: try encoding.decode(root.text("NextKeyMarker")),
            nextVersionIDMarker: try encoding.decode(root.text("NextVersionIdMarker")), entries: entries,
            commonPrefixes: try root.commonPrefixes(encoding))
    }
}
