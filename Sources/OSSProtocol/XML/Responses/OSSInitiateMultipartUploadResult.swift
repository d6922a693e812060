import Foundation

/// The InitiateMultipartUpload response (§3.7): oss2 needs `UploadId`; v2 checks the root and
/// decodes `Key` when `EncodingType` is `url`.
public struct OSSInitiateMultipartUploadResult: Sendable, Hashable {
    /// `Bucket`.
    public var bucket: String
    /// The decoded key.
    public var key: String
    /// Built from unreserved characters only, so it needs no encoding.
    public var uploadID: String
    /// `url` or `nil`.
    public var encodingType: String?

    /// Creates a result.
    public init(bucket: String, key: String, uploadID: String, encodingType: String? = nil) {
        self.bucket = bucket
        self.key = key
        self.uploadID = uploadID
        self.encodingType = encodingType
    }

    /// The response body.
    public var xml: String {
        let encoding = URLEncodingRule(encodingType)
        var writer = OSSXMLWriter()
        writer.element("InitiateMultipartUploadResult") { writer in
            writer.element("Bucket", bucket)
            writer.element("Key", encoding.encode(key))
            writer.element("UploadId", uploadID)
            writer.element("EncodingType", ifPresent: encodingType)
        }
        return writer.output
    }

    /// Reads a response body.
    /// - Throws: `MalformedXML` for another root or a missing element.
    public init(parsing body: some DataProtocol) throws(OSSError) {
        let root = try XMLNode.parse(body, root: "InitiateMultipartUploadResult")
        let encodingType = root.text("EncodingType")
        self.init(
            bucket: try root.requiredText("Bucket"),
            key: try URLEncodingRule(encodingType).decode(root.requiredText("Key")),
            uploadID: try root.requiredText("UploadId"), encodingType: encodingType)
    }
}
