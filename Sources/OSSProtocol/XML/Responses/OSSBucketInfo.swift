import Foundation

/// The GetBucketInfo response (§3.3), root `BucketInfo`, with every element oss2 requires.
public struct OSSBucketInfo: Sendable, Hashable {
    /// `Name`.
    public var name: String
    /// Such as `oss-cn-hangzhou`.
    public var location: String
    /// `CreationDate`.
    public var creationDate: Date
    /// `ExtranetEndpoint`.
    public var extranetEndpoint: String
    /// `IntranetEndpoint`.
    public var intranetEndpoint: String
    /// `StorageClass`, such as `Standard`.
    public var storageClass: OSSStorageClass
    /// `LRS` or `ZRS`, if known.
    public var dataRedundancyType: String?
    /// `Owner`.
    public var owner: OSSOwner
    /// `AccessControlList/Grant`.
    public var acl: OSSBucketACL

    /// Creates a result.
    public init(
        name: String, location: String, creationDate: Date, extranetEndpoint: String, intranetEndpoint: String,
        storageClass: OSSStorageClass = .standard, dataRedundancyType: String? = nil, owner: OSSOwner, acl: OSSBucketACL
    ) {
        self.name = name
        self.location = location
        self.creationDate = creationDate
        self.extranetEndpoint = extranetEndpoint
        self.intranetEndpoint = intranetEndpoint
        self.storageClass = storageClass
        self.dataRedundancyType = dataRedundancyType
        self.owner = owner
        self.acl = acl
    }

    /// The response body.
    public var xml: String {
        var writer = OSSXMLWriter()
        writer.element("BucketInfo") { writer in
            writer.element("Bucket") { writer in
                writer.element("Name", name)
                writer.element("Location", location)
                writer.element("CreationDate", OSSDateFormat.iso8601(creationDate))
                writer.element("ExtranetEndpoint", extranetEndpoint)
                writer.element("IntranetEndpoint", intranetEndpoint)
                writer.element("StorageClass", storageClass.rawValue)
                writer.element("DataRedundancyType", ifPresent: dataRedundancyType)
                owner.write(to: &writer)
                writer.element("AccessControlList") { $0.element("Grant", acl.rawValue) }
            }
        }
        return writer.output
    }

    /// Reads a response body.
    /// - Throws: `MalformedXML` for another root, a missing required element or an unknown grant.
    public init(parsing body: some DataProtocol) throws(OSSError) {
        let bucket = try XMLNode.parse(body, root: "BucketInfo").required("Bucket")
        self.init(
            name: try bucket.requiredText("Name"), location: try bucket.requiredText("Location"),
            creationDate: try bucket.requiredDate("CreationDate"),
            extranetEndpoint: try bucket.requiredText("ExtranetEndpoint"),
            intranetEndpoint: try bucket.requiredText("IntranetEndpoint"),
            storageClass: OSSStorageClass(rawValue: try bucket.requiredText("StorageClass")),
            dataRedundancyType: bucket.text("DataRedundancyType"), owner: try OSSOwner(node: bucket.required("Owner")),
            acl: try bucket.required("AccessControlList").requiredValue("Grant"))
    }
}
