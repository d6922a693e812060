import Foundation

/// One `<Contents>` of a listing; oss2 requires every field except ``owner``.
public struct OSSObjectSummary: Sendable, Hashable {
    /// The decoded key (encoded on the wire with `encoding-type=url`).
    public var key: String
    /// The last write time.
    public var lastModified: Date
    /// The quoted, upper-case ETag.
    public var etag: String
    /// `Normal`, `Appendable`, `Multipart` or `Symlink`.
    public var type: String
    /// The size in bytes.
    public var size: Int64
    /// The storage class, such as `Standard`.
    public var storageClass: String
    /// The owner; V1 always lists it, V2 only with `fetch-owner=true`.
    public var owner: OSSOwner?

    /// Creates an entry.
    public init(
        key: String, lastModified: Date, etag: String, type: String = "Normal", size: Int64,
        storageClass: String = "Standard", owner: OSSOwner? = nil
    ) {
        self.key = key
        self.lastModified = lastModified
        self.etag = etag
        self.type = type
        self.size = size
        self.storageClass = storageClass
        self.owner = owner
    }

    /// Writes a `<Contents>`, or with `asNullVersion` the `<Version>` of an unversioned bucket's
    /// object (`VersionId` `null`, always the latest).
    func write(to writer: inout OSSXMLWriter, encoding: URLEncodingRule, asNullVersion: Bool = false) {
        writer.element(asNullVersion ? "Version" : "Contents") { writer in
            writer.element("Key", encoding.encode(key))
            if asNullVersion {
                writer.element("VersionId", "null")
                writer.element("IsLatest", true)
            }
            writer.element("LastModified", OSSDateFormat.iso8601(lastModified))
            writer.element("ETag", etag)
            writer.element("Type", type)
            writer.element("Size", size)
            writer.element("StorageClass", storageClass)
            owner?.write(to: &writer)
        }
    }

    init(node: XMLNode, encoding: URLEncodingRule) throws(OSSError) {
        self.init(
            key: try encoding.decode(node.requiredText("Key")), lastModified: try node.requiredDate("LastModified"),
            etag: try node.requiredText("ETag"), type: try node.requiredText("Type"), size: try node.requiredInt64("Size"),
            storageClass: try node.requiredText("StorageClass"),
            owner: try node.child("Owner").map { node throws(OSSError) in try OSSOwner(node: node) })
    }
}
