import Foundation

/// The ListMultipartUploads response (§3.7). `NextKeyMarker` and `NextUploadIdMarker` are always
/// written, because oss2 requires them.
public struct OSSListMultipartUploadsResult: Sendable, Hashable {
    /// One `<Upload>`.
    public struct Upload: Sendable, Hashable {
        /// The decoded key.
        public var key: String
        /// `UploadId`.
        public var uploadID: String
        /// `Initiated`.
        public var initiated: Date
        /// `StorageClass`, such as `Standard`.
        public var storageClass: OSSStorageClass

        /// Creates an upload entry.
        public init(key: String, uploadID: String, initiated: Date, storageClass: OSSStorageClass = .standard) {
            self.key = key
            self.uploadID = uploadID
            self.initiated = initiated
            self.storageClass = storageClass
        }
    }

    /// `Bucket`.
    public var bucket: String
    /// `url` or `nil`.
    public var encodingType: String?
    /// `KeyMarker` (decoded).
    public var keyMarker: String
    /// `UploadIdMarker`.
    public var uploadIDMarker: String
    /// `NextKeyMarker` (decoded).
    public var nextKeyMarker: String
    /// `NextUploadIdMarker`.
    public var nextUploadIDMarker: String
    /// `Delimiter` (decoded).
    public var delimiter: String
    /// `Prefix` (decoded).
    public var prefix: String
    /// Default and maximum 1000.
    public var maxUploads: Int
    /// `IsTruncated`.
    public var isTruncated: Bool
    /// The `Upload` entries.
    public var uploads: [Upload]
    /// Decoded common prefixes, in order.
    public var commonPrefixes: [String]

    /// Creates a result.
    public init(
        bucket: String, encodingType: String? = nil, keyMarker: String = "", uploadIDMarker: String = "",
        nextKeyMarker: String = "", nextUploadIDMarker: String = "", delimiter: String = "", prefix: String = "",
        maxUploads: Int = 1000, isTruncated: Bool = false, uploads: [Upload] = [], commonPrefixes: [String] = []
    ) {
        self.bucket = bucket
        self.encodingType = encodingType
        self.keyMarker = keyMarker
        self.uploadIDMarker = uploadIDMarker
        self.nextKeyMarker = nextKeyMarker
        self.nextUploadIDMarker = nextUploadIDMarker
        self.delimiter = delimiter
        self.prefix = prefix
        self.maxUploads = maxUploads
        self.isTruncated = isTruncated
        self.uploads = uploads
        self.commonPrefixes = commonPrefixes
    }

    /// The response body.
    public var xml: String {
        let encoding = URLEncodingRule(encodingType)
        var writer = OSSXMLWriter()
        writer.element("ListMultipartUploadsResult") { writer in
            writer.element("Bucket", bucket)
            writer.element("EncodingType", ifPresent: encodingType)
            writer.element("KeyMarker", encoding.encode(keyMarker))
            writer.element("UploadIdMarker", uploadIDMarker)
            writer.element("NextKeyMarker", encoding.encode(nextKeyMarker))
            writer.element("NextUploadIdMarker", nextUploadIDMarker)
            writer.element("Delimiter", encoding.encode(delimiter))
            writer.element("Prefix", encoding.encode(prefix))
            writer.element("MaxUploads", maxUploads)
            writer.element("IsTruncated", isTruncated)
            for upload in uploads {
                writer.element("Upload") { writer in
                    writer.element("Key", encoding.encode(upload.key))
                    writer.element("UploadId", upload.uploadID)
                    writer.element("StorageClass", upload.storageClass.rawValue)
                    writer.element("Initiated", OSSDateFormat.iso8601(upload.initiated))
                }
            }
            writer.commonPrefixes(commonPrefixes, encoding: encoding)
        }
        return writer.output
    }

    /// Reads a response body.
    /// - Throws: `MalformedXML` for another root, a missing required element or a bad encoded name.
    public init(parsing body: some DataProtocol) throws(OSSError) {
        let root = try XMLNode.parse(body, root: "ListMultipartUploadsResult")
        let encodingType = root.text("EncodingType")
        let encoding = URLEncodingRule(encodingType)
        var uploads: [Upload] = []
        for node in root.children("Upload") {
            uploads.append(
                Upload(
                    key: try encoding.decode(node.requiredText("Key")), uploadID: try node.requiredText("UploadId"),
                    initiated: try node.requiredDate("Initiated"), storageClass: node.text("StorageClass").map(OSSStorageClass.init(rawValue:)) ?? .standard))
        }
        self.init(
            bucket: try root.requiredText("Bucket"), encodingType: encodingType,
            keyMarker: try encoding.decode(root.text("KeyMarker") ?? ""), uploadIDMarker: root.text("UploadIdMarker") ?? "",
            nextKeyMarker: try encoding.decode(root.requiredText("NextKeyMarker")),
            nextUploadIDMarker: try root.requiredText("NextUploadIdMarker"),
            delimiter: try encoding.decode(root.text("Delimiter") ?? ""), prefix: try encoding.decode(root.text("Prefix") ?? ""),
            maxUploads: try root.int("MaxUploads") ?? 1000, isTruncated: try root.bool("IsTruncated") ?? false,
            uploads: uploads, commonPrefixes: try root.commonPrefixes(encoding))
    }
}
