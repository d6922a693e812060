import Foundation

/// The PostObject response body with `success_action_status=201` (§3.8):
/// `<PostResponse><Bucket/><Location/><Key/><ETag/></PostResponse>`.
public struct OSSPostResponse: Sendable, Hashable {
    /// The bucket the form was posted to.
    public var bucket: String
    /// The object's URL.
    public var location: String
    /// The key as stored (after `${filename}` substitution).
    public var key: String
    /// The quoted ETag.
    public var etag: String

    /// Creates a response.
    public init(bucket: String, location: String, key: String, etag: String) {
        self.bucket = bucket
        self.location = location
        self.key = key
        self.etag = etag
    }

    /// The response body.
    public var xml: String {
        var writer = OSSXMLWriter()
        writer.element("PostResponse") { writer in
            writer.element("Bucket", bucket)
            writer.element("Location", location)
            writer.element("Key", key)
            writer.element("ETag", etag)
        }
        return writer.output
    }

    /// Reads a response body.
    /// - Throws: `MalformedXML` for another root or a missing element.
    public init(parsing body: some DataProtocol) throws(OSSError) {
        let root = try XMLNode.parse(body, root: "PostResponse")
        self.init(
            bucket: try root.requiredText("Bucket"), location: try root.requiredText("Location"),
            key: try root.requiredText("Key"), etag: try root.requiredText("ETag"))
    }
}
