import Foundation

/// The GetBucketACL and GetObjectACL response:
/// `<AccessControlPolicy><Owner/><AccessControlList><Grant>…</Grant></AccessControlList></AccessControlPolicy>`.
///
/// Generic over the grant, ``OSSBucketACL`` or ``OSSObjectACL``, because the two documents are
/// the same shape with different sets of values (only an object's may be `default`). Both SDKs
/// read only `AccessControlList/Grant`; v2 checks the root.
public struct OSSAccessControlPolicy<Grant>: Sendable, Hashable
where Grant: RawRepresentable<String> & Sendable & Hashable {
    /// The owner of the bucket or object.
    public var owner: OSSOwner
    /// Who may access the bucket or object without signing.
    public var grant: Grant

    /// Creates a policy.
    public init(owner: OSSOwner, grant: Grant) {
        self.owner = owner
        self.grant = grant
    }

    /// The response body.
    public var xml: String {
        var writer = OSSXMLWriter()
        writer.element("AccessControlPolicy") { writer in
            owner.write(to: &writer)
            writer.element("AccessControlList") { $0.element("Grant", grant.rawValue) }
        }
        return writer.output
    }

    /// Reads a response body.
    /// - Throws: `MalformedXML` for another root, a missing `Owner` or `Grant`, or a grant that is
    ///   not one of `Grant`'s values.
    public init(parsing body: some DataProtocol) throws(OSSError) {
        let root = try XMLNode.parse(body, root: "AccessControlPolicy")
        self.init(
            owner: try OSSOwner(node: root.required("Owner")),
            grant: try root.required("AccessControlList").requiredValue("Grant"))
    }
}
