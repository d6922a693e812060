import Foundation

/// The GetBucketInfo response (§3.3), root `BucketInfo`, with every element OSS returns.
///
/// oss2 requires the name, dates, endpoints, location, owner, grant and storage class; the
/// alibabacloud_oss_v2 and Swift SDK v2 models read the rest (a new bucket's SSEAlgorithm is
/// `None`, its monitors and replication `Disabled`, and `Versioning` absent until versioning is
/// first set).
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
    /// `Comment`, when the bucket has one.
    public var comment: String?
    /// `AccessMonitor`: `Enabled` or `Disabled`.
    public var accessMonitor: String
    /// `ServerSideEncryptionRule/SSEAlgorithm`: `None` when the bucket has no default encryption.
    public var sseAlgorithm: String
    /// `BlockPublicAccess`.
    public var blockPublicAccess: Bool
    /// `CrossRegionReplication`: `Enabled` or `Disabled`.
    public var crossRegionReplication: String
    /// `TransferAcceleration`: `Enabled` or `Disabled`.
    public var transferAcceleration: String
    /// `ResourceGroupId`.
    public var resourceGroupID: String?
    /// `Versioning`: `Enabled` or `Suspended`; absent for a bucket never versioned.
    public var versioning: String?

    /// Creates a result.
    public init(
        name: String, location: String, creationDate: Date, extranetEndpoint: String, intranetEndpoint: String,
        storageClass: OSSStorageClass = .standard, dataRedundancyType: String? = nil, owner: OSSOwner, acl: OSSBucketACL,
        comment: String? = nil, accessMonitor: String = "Disabled", sseAlgorithm: String = "None",
        blockPublicAccess: Bool = false, crossRegionReplication: String = "Disabled",
        transferAcceleration: String = "Disabled", resourceGroupID: String? = nil, versioning: String? = nil
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
        self.comment = comment
        self.accessMonitor = accessMonitor
        self.sseAlgorithm = sseAlgorithm
        self.blockPublicAccess = blockPublicAccess
        self.crossRegionReplication = crossRegionReplication
        self.transferAcceleration = transferAcceleration
        self.resourceGroupID = resourceGroupID
        self.versioning = versioning
    }

    /// The response body, in OSS's element order.
    public var xml: String {
        var writer = OSSXMLWriter()
        writer.element("BucketInfo") { writer in
            writer.element("Bucket") { writer in
                writer.element("AccessMonitor", accessMonitor)
                writer.element("BlockPublicAccess", blockPublicAccess)
                writer.element("Comment", ifPresent: comment)
                writer.element("CreationDate", OSSDateFormat.iso8601(creationDate))
                writer.element("CrossRegionReplication", crossRegionReplication)
                writer.element("DataRedundancyType", ifPresent: dataRedundancyType)
                writer.element("ExtranetEndpoint", extranetEndpoint)
                writer.element("IntranetEndpoint", intranetEndpoint)
                writer.element("Location", location)
                writer.element("Name", name)
                writer.element("ResourceGroupId", ifPresent: resourceGroupID)
                writer.element("StorageClass", storageClass.rawValue)
                writer.element("TransferAcceleration", transferAcceleration)
                writer.element("Versioning", ifPresent: versioning)
                owner.write(to: &writer)
                writer.element("AccessControlList") { $0.element("Grant", acl.rawValue) }
                writer.element("ServerSideEncryptionRule") { $0.element("SSEAlgorithm", sseAlgorithm) }
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
            acl: try bucket.required("AccessControlList").requiredValue("Grant"), comment: bucket.text("Comment"),
            accessMonitor: bucket.text("AccessMonitor") ?? "Disabled",
            sseAlgorithm: bucket.child("ServerSideEncryptionRule")?.text("SSEAlgorithm") ?? "None",
            blockPublicAccess: try bucket.bool("BlockPublicAccess") ?? false,
            crossRegionReplication: bucket.text("CrossRegionReplication") ?? "Disabled",
            transferAcceleration: bucket.text("TransferAcceleration") ?? "Disabled",
            resourceGroupID: bucket.text("ResourceGroupId"), versioning: bucket.text("Versioning"))
    }
}
