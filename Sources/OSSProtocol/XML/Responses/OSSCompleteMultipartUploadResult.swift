import Foundation

/// The CompleteMultipartUpload response body (§3.7). The server must also send the `ETag` and
/// `x-oss-hash-crc64ecma` headers: oss2 reads only headers.
public struct OSSCompleteMultipartUploadResult: Sendable, Hashable {
    /// `url` or `nil`.
    public var encodingType: String?
    /// The object URL, such as `http://127.0.0.1:9000/bkt/key`.
    public var location: String
    /// `Bucket`.
    public var bucket: String
    /// The decoded key.
    public var key: String
    /// The opaque multipart ETag, `"…-N"`.
    public var etag: String

    /// Creates a result.
    public init(encodingType: String? = nil, location: String, bucket: String, key: String, etag: String) {
        self.encodingType = encodingType
        self.location = location
        self.bucket = bucket
        self.key = key
        self.etag = etag
    }

    /// The response body.
    public var xml: String {
        let encoding = URLEncodingRule(encodingType)
        var writer = OSSXMLWriter()
        writer.element("CompleteMultipartUploadResult") { writer in
            writer.element("EncodingType", ifPresent: encodingType)
            writer.element("Location", location)
            writer.element("Bucket", bucket)
            writer.element("Key", encoding.encode(key))
            writer.element("ETag", etag)
        }
        return writer.output
    }

    /// Reads a response body.
    /// - Throws: `MalformedXML` for another root or a missing element.
    public init(parsing body: some DataProtocol) throws(OSSError) {
        let root = try XMLNode.parse(body, root: "CompleteMultipartUploadResult")
        let encodingType = root.text("EncodingType")
        self.init(
            encodingType: encodingType, location: root.text("Location") ?? "", bucket: try root.requiredText("Bucket"),
            key: try URLEncodingRule(encodingType).decode(root.requiredText("Key")), etag: try root.requiredText("ETag"))
    }
}
