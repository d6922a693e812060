import Foundation

/// The GetBucketLocation response: `<LocationConstraint>oss-cn-hangzhou</LocationConstraint>`.
public struct OSSLocationConstraint: Sendable, Hashable {
    /// Such as `oss-cn-hangzhou`.
    public var location: String

    /// Creates a result.
    public init(location: String) {
        self.location = location
    }

    /// The response body.
    public var xml: String {
        var writer = OSSXMLWriter()
        writer.element("LocationConstraint", location)
        return writer.output
    }

    /// Reads a response body.
    /// - Throws: `MalformedXML` for another root.
    public init(parsing body: some DataProtocol) throws(OSSError) {
        location = try XMLNode.parse(body, root: "LocationConstraint").text
    }
}
