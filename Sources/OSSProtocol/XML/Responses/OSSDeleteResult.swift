import Foundation

/// The DeleteMultipleObjects response (§3.5), root `DeleteResult` (checked by v2).
///
/// Missing keys are reported as deleted: deletion is idempotent. In quiet mode the list is empty.
public struct OSSDeleteResult: Sendable, Hashable {
    /// One `<Deleted>`.
    public struct Deleted: Sendable, Hashable {
        /// The decoded key.
        public var key: String
        /// `VersionId`: the version the request named, if any.
        public var versionID: String?
        /// `DeleteMarker`: whether a delete marker was created, or was the version removed.
        public var deleteMarker: Bool
        /// `DeleteMarkerVersionId`: the marker's version id when ``deleteMarker`` is set.
        public var deleteMarkerVersionID: String?

        /// Creates an entry.
        public init(key: String, versionID: String? = nil, deleteMarker: Bool = false, deleteMarkerVersionID: String? = nil) {
            self.key = key
            self.versionID = versionID
            self.deleteMarker = deleteMarker
            self.deleteMarkerVersionID = deleteMarkerVersionID
        }
    }

    /// `url` or `nil`.
    public var encodingType: String?
    /// The `Deleted` entries.
    public var deleted: [Deleted]

    /// Creates a result.
    public init(encodingType: String? = nil, deleted: [Deleted]) {
        self.encodingType = encodingType
        self.deleted = deleted
    }

    /// The response body.
    public var xml: String {
        let encoding = URLEncodingRule(encodingType)
        var writer = OSSXMLWriter()
        writer.element("DeleteResult") { writer in
            writer.element("EncodingType", ifPresent: encodingType)
            for entry in deleted {
                writer.element("Deleted") { writer in
                    writer.element("Key", encoding.encode(entry.key))
                    writer.element("VersionId", ifPresent: entry.versionID)
                    if entry.deleteMarker {
                        writer.element("DeleteMarker", true)
                        writer.element("DeleteMarkerVersionId", ifPresent: entry.deleteMarkerVersionID)
                    }
                }
            }
        }
        return writer.output
    }

    /// Reads a response body.
    /// - Throws: `MalformedXML` for another root or a `Deleted` without `Key`.
    public init(parsing body: some DataProtocol) throws(OSSError) {
        let root = try XMLNode.parse(body, root: "DeleteResult")
        let encodingType = root.text("EncodingType")
        let encoding = URLEncodingRule(encodingType)
        var deleted: [Deleted] = []
        for node in root.children("Deleted") {
            deleted.append(
                Deleted(
                    key: try encoding.decode(node.requiredText("Key")), versionID: node.text("VersionId"),
                    deleteMarker: try node.bool("DeleteMarker") ?? false,
                    deleteMarkerVersionID: node.text("DeleteMarkerVersionId")))
        }
        self.init(encodingType: encodingType, deleted: deleted)
    }
}
