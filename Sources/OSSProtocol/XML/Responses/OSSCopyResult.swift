import Foundation

/// The CopyObject (`CopyObjectResult`) and UploadPartCopy (`CopyPartResult`) responses.
///
/// The server must also send an `ETag` header: oss2 builds its result from headers.
public struct OSSCopyResult: Sendable, Hashable {
    /// Which operation the document answers; it decides the root and the element order.
    public enum Kind: Sendable, Hashable {
        /// `<CopyObjectResult><ETag/><LastModified/></CopyObjectResult>`.
        case object
        /// `<CopyPartResult><LastModified/><ETag/></CopyPartResult>`.
        case part
    }

    /// Which root the document has.
    public var kind: Kind
    /// The quoted, upper-case ETag of the new object or part.
    public var etag: String
    /// `LastModified`.
    public var lastModified: Date

    /// Creates a result.
    public init(kind: Kind, etag: String, lastModified: Date) {
        self.kind = kind
        self.etag = etag
        self.lastModified = lastModified
    }

    /// The response body.
    public var xml: String {
        var writer = OSSXMLWriter()
        switch kind {
        case .object:
            writer.element("CopyObjectResult") { writer in
                writer.element("ETag", etag)
                writer.element("LastModified", OSSDateFormat.iso8601(lastModified))
            }
        case .part:
            writer.element("CopyPartResult") { writer in
                writer.element("LastModified", OSSDateFormat.iso8601(lastModified))
                writer.element("ETag", etag)
            }
        }
        return writer.output
    }

    /// Reads a response body of the given kind.
    /// - Throws: `MalformedXML` for the other root or a missing element.
    public init(parsing body: some DataProtocol, kind: Kind) throws(OSSError) {
        let root = try XMLNode.parse(body, root: kind == .object ? "CopyObjectResult" : "CopyPartResult")
        self.init(kind: kind, etag: try root.requiredText("ETag"), lastModified: try root.requiredDate("LastModified"))
    }
}
