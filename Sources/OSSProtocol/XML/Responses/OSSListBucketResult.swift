import Foundation

/// The ListObjects (V1) and ListObjectsV2 response (§3.4), root `ListBucketResult`.
///
/// Names are held decoded; with ``encodingType`` `url` they are percent-encoded on the wire
/// (`Key`, `Prefix`, `Marker`, `NextMarker`, `Delimiter`, `StartAfter`, the continuation tokens and
/// `CommonPrefixes/Prefix`).
public struct OSSListBucketResult: Sendable, Hashable {
    /// Which listing produced the document.
    public enum Version: Sendable, Hashable {
        /// ListObjects: `Marker` / `NextMarker`.
        case v1
        /// ListObjectsV2 (`list-type=2`): continuation tokens, `StartAfter`, `KeyCount`.
        case v2
    }

    /// Which listing the document answers.
    public var version: Version
    /// The bucket name.
    public var name: String
    /// `Prefix` (decoded).
    public var prefix: String
    /// V1 only.
    public var marker: String
    /// V2 only, when the request had one.
    public var startAfter: String?
    /// V2 only, when the request had one.
    public var continuationToken: String?
    /// Default 100, at most 1000; keys plus common prefixes.
    public var maxKeys: Int
    /// Empty when the request had none.
    public var delimiter: String
    /// `url` or `nil`.
    public var encodingType: String?
    /// Must be exactly `true` or `false` on the wire.
    public var isTruncated: Bool
    /// V1, required when truncated.
    public var nextMarker: String?
    /// V2, required when truncated.
    public var nextContinuationToken: String?
    /// The `Contents` entries.
    public var contents: [OSSObjectSummary]
    /// Decoded common prefixes, in order.
    public var commonPrefixes: [String]

    /// Creates a result.
    public init(
        version: Version = .v1, name: String, prefix: String = "", marker: String = "", startAfter: String? = nil,
        continuationToken: String? = nil, maxKeys: Int = 100, delimiter: String = "", encodingType: String? = nil,
        isTruncated: Bool = false, nextMarker: String? = nil, nextContinuationToken: String? = nil,
        contents: [OSSObjectSummary] = [], commonPrefixes: [String] = []
    ) {
        self.version = version
        self.name = name
        self.prefix = prefix
        self.marker = marker
        self.startAfter = startAfter
        self.continuationToken = continuationToken
        self.maxKeys = maxKeys
        self.delimiter = delimiter
        self.encodingType = encodingType
        self.isTruncated = isTruncated
        self.nextMarker = nextMarker
        self.nextContinuationToken = nextContinuationToken
        self.contents = contents
        self.commonPrefixes = commonPrefixes
    }

    /// V2's `KeyCount`: keys plus common prefixes in this page.
    public var keyCount: Int {
        contents.count + commonPrefixes.count
    }

    /// The response body.
    public var xml: String {
        let encoding = URLEncodingRule(encodingType)
        var writer = OSSXMLWriter()
        writer.element("ListBucketResult") { writer in
            writer.element("Name", name)
            writer.element("Prefix", encoding.encode(prefix))
            switch version {
            case .v1:
                writer.element("Marker", encoding.encode(marker))
            case .v2:
                // S3 leaves tokens as they are under encoding-type=url, OSS encodes them too.
                let token = writer.dialect == .s3 ? URLEncodingRule(nil) : encoding
                writer.element("ContinuationToken", ifPresent: continuationToken.map(token.encode))
                writer.element("StartAfter", ifPresent: startAfter.map(encoding.encode))
            }
            writer.element("MaxKeys", maxKeys)
            writer.element("Delimiter", encoding.encode(delimiter))
            writer.element("EncodingType", ifPresent: encodingType)
            writer.element("IsTruncated", isTruncated)
            switch version {
            case .v1:
                writer.element("NextMarker", ifPresent: nextMarker.map(encoding.encode))
            case .v2:
                let token = writer.dialect == .s3 ? URLEncodingRule(nil) : encoding
                writer.element("NextContinuationToken", ifPresent: nextContinuationToken.map(token.encode))
                writer.element("KeyCount", keyCount)
            }
            for object in contents {
                object.write(to: &writer, encoding: encoding)
            }
            writer.commonPrefixes(commonPrefixes, encoding: encoding)
        }
        return writer.output
    }

    /// Reads a response body; the version is V2 when `KeyCount` or a continuation token is present.
    /// - Throws: `MalformedXML` for another root, a missing required element, or a bad encoded name.
    public init(parsing body: some DataProtocol) throws(OSSError) {
        let root = try XMLNode.parse(body, root: "ListBucketResult")
        let encodingType = root.text("EncodingType")
        let encoding = URLEncodingRule(encodingType)
        var contents: [OSSObjectSummary] = []
        for node in root.children("Contents") {
            contents.append(try OSSObjectSummary(node: node, encoding: encoding))
        }
        let isV2 = root.child("KeyCount") != nil || root.child("ContinuationToken") != nil
            || root.child("NextContinuationToken") != nil || root.child("StartAfter") != nil
        self.init(
            version: isV2 ? .v2 : .v1, name: try root.requiredText("Name"),
            prefix: try encoding.decode(root.text("Prefix") ?? ""), marker: try encoding.decode(root.text("Marker") ?? ""),
            startAfter: try encoding.decode(root.text("StartAfter")),
            continuationToken: try encoding.decode(root.text("ContinuationToken")),
            maxKeys: try root.int("MaxKeys") ?? 100, delimiter: try encoding.decode(root.text("Delimiter") ?? ""),
            encodingType: encodingType, isTruncated: try root.bool("IsTruncated") ?? false,
            nextMarker: try encoding.decode(root.text("NextMarker")),
            nextContinuationToken: try encoding.decode(root.text("NextContinuationToken")), contents: contents,
            commonPrefixes: try root.commonPrefixes(encoding))
    }
}
