import Foundation

/// PutBucketPublicAccessBlock's body and GetBucketPublicAccessBlock's answer:
/// `<PublicAccessBlockConfiguration><BlockPublicAccess>true</BlockPublicAccess></PublicAccessBlockConfiguration>`.
///
/// `BlockPublicAccess` is optional and `false` when absent, as OSS documents it (oss2's
/// `put_bucket_public_access_block()` with no argument turns the block off).
public struct OSSPublicAccessBlockConfiguration: Sendable, Hashable {
    /// Whether public ACLs (of the bucket and of its objects) are ignored.
    public var blockPublicAccess: Bool

    /// Creates a configuration.
    public init(blockPublicAccess: Bool) {
        self.blockPublicAccess = blockPublicAccess
    }

    /// Reads a document.
    /// - Throws: `MalformedXML` for another root or a `BlockPublicAccess` that is not a Boolean.
    public init(parsing body: some DataProtocol) throws(OSSError) {
        let root = try XMLNode.parse(body, root: "PublicAccessBlockConfiguration")
        self.init(blockPublicAccess: try root.bool("BlockPublicAccess") ?? false)
    }

    /// The document.
    public var xml: String {
        var writer = OSSXMLWriter()
        writer.element("PublicAccessBlockConfiguration") { $0.element("BlockPublicAccess", blockPublicAccess) }
        return writer.output
    }
}
