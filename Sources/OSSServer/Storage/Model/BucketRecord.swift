import Foundation
import OSSProtocol

/// A bucket as stored: what GetBucketInfo, GetBucketLocation and ListBuckets report.
struct BucketRecord: Sendable, Hashable {
    /// The bucket name; storage never turns it into a path, so it needs no escaping here.
    var name: String
    /// When the bucket was created, to the millisecond.
    var creationDate: Date
    /// `private`, `public-read` or `public-read-write`.
    var acl: OSSBucketACL
    /// The default storage class of new objects.
    var storageClass: OSSStorageClass
    /// The region string served as `Location`, e.g. `oss-cn-hangzhou`.
    var location: String

    /// The `<CORSConfiguration>` document of PutBucketCors, `nil` when the bucket has none.
    var cors: String?
    /// `DataRedundancyType` as CreateBucketConfiguration asked for it, reported by GetBucketInfo.
    var dataRedundancy: OSSDataRedundancyType
    /// Block Public Access (PutBucketPublicAccessBlock): while set, public ACLs grant nothing.
    var blocksPublicAccess: Bool
    /// PutBucketVersioning's state; `nil` while versioning was never on.
    var versioning: OSSVersioningStatus?
    /// The `<LifecycleConfiguration>` document of PutBucketLifecycle (checked, IDs filled in),
    /// `nil` when the bucket has no rules.
    var lifecycle: String?
    /// The id of the user who created the bucket (``UserRecord/id``); it never changes.
    var owner: String

    init(
        name: String, creationDate: Date, acl: OSSBucketACL, storageClass: OSSStorageClass, location: String,
        cors: String? = nil, dataRedundancy: OSSDataRedundancyType = .locallyRedundant, blocksPublicAccess: Bool = false,
        versioning: OSSVersioningStatus? = nil, lifecycle: String? = nil, owner: String
    ) {
        self.name = name
        self.creationDate = creationDate
        self.acl = acl
        self.storageClass = storageClass
        self.location = location
        self.cors = cors
        self.dataRedundancy = dataRedundancy
        self.blocksPublicAccess = blocksPublicAccess
        self.versioning = versioning
        self.lifecycle = lifecycle
        self.owner = owner
    }
}

/// Which buckets ListBuckets should return.
struct BucketListQuery: Sendable, Hashable {
    /// Only names starting with this.
    var prefix: String = ""
    /// Only names after this one (exclusive).
    var marker: String?
    /// At most this many buckets.
    var maxKeys: Int = 100
    /// Only the buckets of this user; every bucket when `nil`.
    var owner: String?

    init(prefix: String = "", marker: String? = nil, maxKeys: Int = 100, owner: String? = nil) {
        self.prefix = prefix
        self.marker = marker
        self.maxKeys = maxKeys
        self.owner = owner
    }
}

/// One page of ListBuckets.
struct BucketListing: Sendable, Hashable {
    /// The buckets of this page, in byte order of their names.
    var buckets: [BucketRecord]
    /// Whether more buckets follow this page.
    var isTruncated: Bool
    /// Where the next page starts (the last name of this one) when truncated.
    var nextMarker: String?
}

/// A bucket configuration kept as its checked XML document, read only by the operations that
/// serve it (and, for referers, by anonymous and presigned requests).
enum BucketDocument: String, Sendable, CaseIterable {
    /// PutBucketReferer's `RefererConfiguration`.
    case referer
    /// PutBucketWebsite's `WebsiteConfiguration`.
    case website
    /// PutBucketLogging's `BucketLoggingStatus`.
    case logging
    /// PutBucketPolicy's JSON policy, as the client sent it.
    case policy
    /// PutBucketQoSInfo's `QoSConfiguration`.
    case qosInfo
    /// The storage capacity of `?qos` (`BucketUserQos`).
    case storageCapacity
}
