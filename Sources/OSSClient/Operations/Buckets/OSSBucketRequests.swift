/// PutBucket: creates a bucket.
public struct OSSCreateBucketRequest: Sendable {
    /// The name: 3–63 characters of `a-z0-9-`, alphanumeric at both ends.
    public var bucket: String
    /// `x-oss-acl`; the server makes new buckets private when absent.
    public var acl: OSSBucketACL?
    /// The bucket's default storage class.
    public var storageClass: OSSStorageClass?
    /// `LRS` or `ZRS`.
    public var dataRedundancyType: String?

    /// Creates a request.
    public init(bucket: String, acl: OSSBucketACL? = nil, storageClass: OSSStorageClass? = nil, dataRedundancyType: String? = nil) {
        self.bucket = bucket
        self.acl = acl
        self.storageClass = storageClass
        self.dataRedundancyType = dataRedundancyType
    }
}

/// ListBuckets: one page of the caller's buckets.
public struct OSSListBucketsRequest: Sendable {
    /// Only buckets whose names start with this.
    public var prefix: String?
    /// Start after this bucket name (exclusive).
    public var marker: String?
    /// Page size, at most 1000 (server default 100).
    public var maxKeys: Int?

    /// Creates a request.
    public init(prefix: String? = nil, marker: String? = nil, maxKeys: Int? = nil) {
        self.prefix = prefix
        self.marker = marker
        self.maxKeys = maxKeys
    }
}
