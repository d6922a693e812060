import Foundation

/// One `<Contents>` of a listing; oss2 requires every field except ``owner``.
public struct OSSObjectSummary: Sendable, Hashable {
    /// The decoded key (encoded on the wire with `encoding-type=url`).
    public var key: String
    /// The last write time.
    public var lastModified: Date
    /// The quoted, upper-case ETag.
    public var etag: String
    /// How the object was written.
    public var type: OSSObjectType
    /// The size in bytes.
    public var size: Int64
    /// The storage class, such as `Standard`.
    public var storageClass: OSSStorageClass
    /// The owner; V1 always lists it, V2 only with `fetch-owner=true`.
    public var owner: OSSOwner?
    /// In a version listing: the version's id (`null` on a bucket without versioning).
    public var versionID: String?
    /// In a version listing: whether this is the object's current version.
    public var isLatest: Bool?
    /// `RestoreInfo` of an archived object being or having been restored, as `x-oss-restore`
    /// reads: `ongoing-request="true"`, or `ongoing-request="false", expiry-date="…"`.
    public var restoreInfo: String?
    /// `HashCrc64ecma`: the object's CRC-64/XZ, as `x-oss-hash-crc64ecma` carries it. A
    /// swift-oss extension of OSS listings (OSS itself reports it only per object, on HEAD), so
    /// that a client comparing many objects with local files (`oss sync`) needs one listing, not
    /// a HEAD per object; `nil` from servers without it.
    public var crc64: UInt64?

    /// Creates an entry.
    public init(
        key: String, lastModified: Date, etag: String, type: OSSObjectType = .normal, size: Int64,
        storageClass: OSSStorageClass = .standard, owner: OSSOwner? = nil, versionID: String? = nil, isLatest: Bool? = nil,
        restoreInfo: String? = nil, crc64: UInt64? = nil
    ) {
        self.key = key
        self.lastModified = lastModified
        self.etag = etag
        self.type = type
        self.size = size
        self.storageClass = storageClass
        self.owner = owner
        self.versionID = versionID
        self.isLatest = isLatest
        self.restoreInfo = restoreInfo
        self.crc64 = crc64
    }

    /// Writes a `<Contents>`, or with `asVersion` a `<Version>` (by default the `null` version,
    /// latest).
    func write(to writer: inout OSSXMLWriter, encoding: URLEncodingRule, asVersion: Bool = false) {
        writer.element(asVersion ? "Version" : "Contents") { writer in
            writer.element("Key", encoding.encode(key))
            if asVersion {
                writer.element("VersionId", versionID ?? "null")
                writer.element("IsLatest", isLatest ?? true)
            }
            writer.element("LastModified", OSSDateFormat.iso8601(lastModified))
            writer.element("ETag", etag)
            if writer.dialect == .s3 {
                writer.element("Size", size)
                writer.element("StorageClass", S3HeaderMapping.s3StorageClass(storageClass))
            } else {
                writer.element("Type", type.rawValue)
                writer.element("Size", size)
                writer.element("StorageClass", storageClass.rawValue)
                if let crc64 { writer.element("HashCrc64ecma", crc64) }
            }
            writer.element("RestoreInfo", ifPresent: restoreInfo)
            owner?.write(to: &writer)
        }
    }

    init(node: XMLNode, encoding: URLEncodingRule) throws(OSSError) {
        self.init(
            key: try encoding.decode(node.requiredText("Key")), lastModified: try node.requiredDate("LastModified"),
            etag: try node.requiredText("ETag"), type: try node.requiredValue("Type"), size: try node.requiredInt64("Size"),
            storageClass: OSSStorageClass(rawValue: try node.requiredText("StorageClass")),
            owner: try node.child("Owner").map { node throws(OSSError) in try OSSOwner(node: node) },
            versionID: node.text("VersionId"), isLatest: try node.bool("IsLatest"), restoreInfo: node.text("RestoreInfo"),
            crc64: node.text("HashCrc64ecma").flatMap { UInt64($0) })
    }
}
