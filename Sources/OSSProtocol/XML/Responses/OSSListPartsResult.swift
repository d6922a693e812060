import Foundation

/// The ListParts response (§3.7). oss2 requires `IsTruncated`, `NextPartNumberMarker` and, per
/// part, `PartNumber`, `ETag`, `Size` and `LastModified`; v2's resumable uploader reads
/// `HashCrc64ecma`, so the server should always send it.
public struct OSSListPartsResult: Sendable, Hashable {
    /// One `<Part>`.
    public struct Part: Sendable, Hashable {
        /// `PartNumber`.
        public var partNumber: Int
        /// `LastModified`.
        public var lastModified: Date
        /// The quoted, upper-case MD5 ETag.
        public var etag: String
        /// The part's CRC-64/XZ.
        public var crc64: UInt64?
        /// `Size` in bytes.
        public var size: Int64

        /// Creates a part entry.
        public init(partNumber: Int, lastModified: Date, etag: String, crc64: UInt64?, size: Int64) {
            self.partNumber = partNumber
            self.lastModified = lastModified
            self.etag = etag
            self.crc64 = crc64
            self.size = size
        }
    }

    /// `Bucket`.
    public var bucket: String
    /// The decoded key.
    public var key: String
    /// `UploadId`.
    public var uploadID: String
    /// `url` or `nil`.
    public var encodingType: String?
    /// The upload's storage class, such as `Standard`, when known.
    public var storageClass: OSSStorageClass?
    /// `PartNumberMarker`.
    public var partNumberMarker: Int
    /// Always present; the last part number listed (0 for an empty page).
    public var nextPartNumberMarker: Int
    /// Default and maximum 1000.
    public var maxParts: Int
    /// `IsTruncated`.
    public var isTruncated: Bool
    /// The `Part` entries.
    public var parts: [Part]

    /// Creates a result.
    public init(
        bucket: String, key: String, uploadID: String, encodingType: String? = nil, storageClass: OSSStorageClass? = nil,
        partNumberMarker: Int = 0, nextPartNumberMarker: Int, maxParts: Int = 1000, isTruncated: Bool, parts: [Part]
    ) {
        self.bucket = bucket
        self.key = key
        self.uploadID = uploadID
        self.encodingType = encodingType
        self.storageClass = storageClass
        self.partNumberMarker = partNumberMarker
        self.nextPartNumberMarker = nextPartNumberMarker
        self.maxParts = maxParts
        self.isTruncated = isTruncated
        self.parts = parts
    }

    /// The response body.
    public var xml: String {
        var writer = OSSXMLWriter()
        writer.element("ListPartsResult") { writer in
            writer.element("Bucket", bucket)
            writer.element("Key", URLEncodingRule(encodingType).encode(key))
            writer.element("UploadId", uploadID)
            writer.element("EncodingType", ifPresent: encodingType)
            writer.element("StorageClass", ifPresent: storageClass?.rawValue)
            writer.element("PartNumberMarker", partNumberMarker)
            writer.element("NextPartNumberMarker", nextPartNumberMarker)
            writer.element("MaxParts", maxParts)
            writer.element("IsTruncated", isTruncated)
            for part in parts {
                writer.element("Part") { writer in
                    writer.element("PartNumber", part.partNumber)
                    writer.element("LastModified", OSSDateFormat.iso8601(part.lastModified))
                    writer.element("ETag", part.etag)
                    if let crc64 = part.crc64 { writer.element("HashCrc64ecma", crc64) }
                    writer.element("Size", part.size)
                }
            }
        }
        return writer.output
    }

    /// Reads a response body.
    /// - Throws: `MalformedXML` for another root, a missing required element or a bad number.
    public init(parsing body: some DataProtocol) throws(OSSError) {
        let root = try XMLNode.parse(body, root: "ListPartsResult")
        let encodingType = root.text("EncodingType")
        var parts: [Part] = []
        for node in root.children("Part") {
            let crcText = node.text("HashCrc64ecma")
            guard crcText.map({ UInt64($0) != nil }) ?? true else { throw .malformedXML("HashCrc64ecma is not a number.") }
            parts.append(
                Part(
                    partNumber: try node.requiredInt("PartNumber"), lastModified: try node.requiredDate("LastModified"),
                    etag: try node.requiredText("ETag"), crc64: crcText.flatMap { UInt64($0) },
                    size: try node.requiredInt64("Size")))
        }
        self.init(
            bucket: try root.requiredText("Bucket"), key: try URLEncodingRule(encodingType).decode(root.requiredText("Key")),
            uploadID: try root.requiredText("UploadId"), encodingType: encodingType,
            storageClass: root.text("StorageClass").map(OSSStorageClass.init(rawValue:)), partNumberMarker: try root.int("PartNumberMarker") ?? 0,
            nextPartNumberMarker: try root.requiredInt("NextPartNumberMarker"), maxParts: try root.int("MaxParts") ?? 1000,
            isTruncated: try root.bool("IsTruncated") ?? false, parts: parts)
    }
}
