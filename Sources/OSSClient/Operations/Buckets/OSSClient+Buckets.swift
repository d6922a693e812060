import NIOCore
import OSSProtocol

extension OSSClient {
    /// Creates a bucket (PutBucket).
    /// - Throws: ``OSSClientError/service(_:)`` with `BucketAlreadyExists` (409) or
    ///   `InvalidBucketName` (400), among others.
    public func createBucket(_ request: OSSCreateBucketRequest) async throws {
        var wire = WireRequest("PutBucket", .PUT, bucket: request.bucket)
        wire.header(OSSHeader.bucketACL, request.acl?.rawValue)
        if request.storageClass != nil || request.dataRedundancyType != nil {
            let xml = OSSCreateBucketConfiguration(
                storageClass: request.storageClass, dataRedundancyType: request.dataRedundancyType
            ).xml
            wire.xmlBody(xml)
        }
        try await performDiscardingBody(wire)
    }

    /// Creates a bucket with default settings.
    public func createBucket(_ bucket: String) async throws {
        try await createBucket(OSSCreateBucketRequest(bucket: bucket))
    }

    /// Deletes an empty bucket (DeleteBucket).
    /// - Throws: `BucketNotEmpty` (409) while objects or unfinished multipart uploads remain.
    public func deleteBucket(_ bucket: String) async throws {
        try await performDiscardingBody(WireRequest("DeleteBucket", .DELETE, bucket: bucket))
    }

    /// One page of buckets (ListBuckets); ``listBucketsPages(_:)`` walks all pages.
    public func listBuckets(_ request: OSSListBucketsRequest = OSSListBucketsRequest()) async throws
        -> OSSListAllMyBucketsResult
    {
        var wire = WireRequest("ListBuckets", .GET)
        wire.query("prefix", request.prefix)
        wire.query("marker", request.marker)
        wire.query("max-keys", request.maxKeys.map(String.init))
        let (_, body) = try await performCollecting(wire)
        return try body.decode("ListBuckets", OSSListAllMyBucketsResult.init(parsing:))
    }

    /// A bucket's details (GetBucketInfo): location, creation date, ACL, storage class.
    public func getBucketInfo(_ bucket: String) async throws -> OSSBucketInfo {
        var wire = WireRequest("GetBucketInfo", .GET, bucket: bucket)
        wire.query("bucketInfo", "")
        let (_, body) = try await performCollecting(wire)
        return try body.decode("GetBucketInfo", OSSBucketInfo.init(parsing:))
    }

    /// A bucket's storage use: bytes and object counts per storage class, uploads in progress
    /// (GetBucketStat).
    public func getBucketStat(_ bucket: String) async throws -> OSSBucketStat {
        var wire = WireRequest("GetBucketStat", .GET, bucket: bucket)
        wire.query("stat", "")
        let (_, body) = try await performCollecting(wire)
        return try body.decode("GetBucketStat", OSSBucketStat.init(parsing:))
    }

    /// A bucket's location, such as `oss-cn-hangzhou` (GetBucketLocation).
    public func getBucketLocation(_ bucket: String) async throws -> String {
        var wire = WireRequest("GetBucketLocation", .GET, bucket: bucket)
        wire.query("location", "")
        let (_, body) = try await performCollecting(wire)
        return try body.decode("GetBucketLocation", OSSLocationConstraint.init(parsing:)).location
    }
}
