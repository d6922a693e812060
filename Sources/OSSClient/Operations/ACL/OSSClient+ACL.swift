import OSSProtocol

extension OSSClient {
    /// Sets a bucket's ACL (PutBucketACL); takes effect for the next anonymous request.
    public func putBucketACL(_ bucket: String, acl: OSSBucketACL) async throws {
        var wire = WireRequest("PutBucketACL", .PUT, bucket: bucket)
        wire.query("acl", "")
        wire.header(OSSHeader.bucketACL, acl.rawValue)
        try await performDiscardingBody(wire)
    }

    /// A bucket's ACL (GetBucketACL).
    /// - Throws: ``OSSClientError/invalidResponse(_:)`` for a grant this SDK does not know.
    public func getBucketACL(_ bucket: String) async throws -> OSSBucketACL {
        var wire = WireRequest("GetBucketACL", .GET, bucket: bucket)
        wire.query("acl", "")
        return try await accessControlGrant(wire)
    }

    /// Sets an object's ACL (PutObjectACL); ``OSSObjectACL/default`` returns it to the bucket's.
    public func putObjectACL(bucket: String, key: String, acl: OSSObjectACL) async throws {
        var wire = WireRequest("PutObjectACL", .PUT, bucket: bucket, key: key)
        wire.query("acl", "")
        wire.header(OSSHeader.objectACL, acl.rawValue)
        try await performDiscardingBody(wire)
    }

    /// An object's own ACL (GetObjectACL): ``OSSObjectACL/default`` when the bucket's applies.
    /// - Throws: ``OSSClientError/invalidResponse(_:)`` for a grant this SDK does not know.
    public func getObjectACL(bucket: String, key: String) async throws -> OSSObjectACL {
        var wire = WireRequest("GetObjectACL", .GET, bucket: bucket, key: key)
        wire.query("acl", "")
        return try await accessControlGrant(wire)
    }

    private func accessControlGrant<Grant>(_ wire: WireRequest) async throws -> Grant
    where Grant: RawRepresentable<String> & Sendable & Hashable {
        let (_, body) = try await performCollecting(wire)
        return try body.decode(wire.operation, OSSAccessControlPolicy<Grant>.init(parsing:)).grant
    }
}
