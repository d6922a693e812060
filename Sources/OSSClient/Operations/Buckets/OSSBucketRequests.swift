/// PutBucket: creates a bucket.
public struct OSSCreateBucketRequest: Sendable {
    /// The name: 3–63 characters of `a-z0-9-`, alphanumeric at both ends.
    public var bucket: String
    /// `private` (the server default), `public-read` or `public-read-write`.
    public var acl: String?
    /// `Standard`, `IA`, `Archive`, `ColdArchive` or `DeepColdArchive`.
    public var storageClass: String?
    /// `LRS` or `ZRS`.
    public var dataRedundancyType: String?

    /// Creates a request.
    public init(bucket: String, acl: String? = nil, storageClass: String? = nil, dataRedundancyType: String? = nil) {
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
