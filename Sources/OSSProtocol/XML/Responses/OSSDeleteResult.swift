import Foundation

/// The DeleteMultipleObjects response (§3.5), root `DeleteResult` (checked by v2).
///
/// Missing keys are reported as deleted: deletion is idempotent. In quiet mode the list is empty.
public struct OSSDeleteResult: Sendable, Hashable {
    /// One `<Deleted>`.
    public struct Deleted: Sendable, Hashable {
        /// The decoded key.
        public var key: String
        /// `VersionId`, if any.
        public var versionID: String?

        /// Creates an entry.
        public init(key: String, versionID: String? = nil) {
            self.key = key
            self.versionID = versionID
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
            deleted.append(Deleted(key: try encoding.decode(node.requiredText("Key")), versionID: node.text("VersionId")))
        }
        self.init(encodingType: encodingType, deleted: deleted)
    }
}
