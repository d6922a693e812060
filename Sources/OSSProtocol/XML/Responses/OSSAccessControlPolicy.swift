import Foundation

/// The GetBucketACL and GetObjectACL response (§3.5):
/// `<AccessControlPolicy><Owner/><AccessControlList><Grant>…</Grant></AccessControlList></AccessControlPolicy>`.
///
/// Both SDKs read only `AccessControlList/Grant`; v2 checks the root.
public struct OSSAccessControlPolicy: Sendable, Hashable {
    /// The owner of the bucket or object.
    public var owner: OSSOwner
    /// `private`, `public-read` or `public-read-write`, or `default` for an object that inherits
    /// its bucket's.
    public var grant: String

    /// Creates a policy.
    public init(owner: OSSOwner, grant: String) {
        self.owner = owner
        self.grant = grant
    }

    /// The response body.
    public var xml: String {
        var writer = OSSXMLWriter()
        writer.element("AccessControlPolicy") { writer in
            owner.write(to: &writer)
            writer.element("AccessControlList") { $0.element("Grant", grant) }
        }
        return writer.output
    }

    /// Reads a response body.
    /// - Throws: `MalformedXML` for another root or a missing `Owner` or `Grant`.
    public init(parsing body: some DataProtocol) throws(OSSError) {
        let root = try XMLNode.parse(body, root: "AccessControlPolicy")
        self.init(
            owner: try OSSOwner(node: root.required("Owner")),
            grant: try root.required("AccessControlList").requiredText("Grant"))
    }
}
